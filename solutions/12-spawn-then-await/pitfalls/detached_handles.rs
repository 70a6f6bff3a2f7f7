//! Pitfall: plain `JoinHandle`s, trusted to stop their tasks.
//!
//! The timing and the error are right, but a `JoinHandle` does not own its
//! task: when `try_join!` returns early, or when the caller drops the fetch,
//! the handles are dropped and the tasks are merely detached. They run on,
//! calling services whose answers nobody will read.
//!
//! Caught by: a_failed_part_stops_the_others, cancelling_the_fetch_cancels_every_part

#[path = "../src/lib.rs"]
mod given;
pub use given::{Api, Part, PartFailed, Profile, failure_reason};

use std::sync::Arc;

use tokio::task::JoinHandle;

async fn join<T>(task: JoinHandle<T>, part: Part) -> Result<T, PartFailed> {
    task.await.map_err(|error| PartFailed {
        part,
        reason: failure_reason(error),
    })
}

pub async fn fetch_profile(api: Arc<Api>, id: u64) -> Result<Profile, PartFailed> {
    let user = tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.user(id).await }
    });
    let posts = tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.posts(id).await }
    });
    let comments = tokio::spawn(async move { api.comments(id).await });
    let (user, posts, comments) = tokio::try_join!(
        join(user, Part::User),
        join(posts, Part::Posts),
        join(comments, Part::Comments),
    )?;
    Ok(Profile {
        user,
        posts,
        comments,
    })
}
