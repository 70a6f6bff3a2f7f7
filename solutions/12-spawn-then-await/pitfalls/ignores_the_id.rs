//! Pitfall: fetching a fixed user instead of the one asked for.
//!
//! Passing a constant where `id` belongs (left over from trying things out)
//! gives a well-formed profile, fast and concurrent, of the wrong person.
//!
//! Caught by: the_profile_holds_every_part

#[path = "../src/lib.rs"]
mod given;
pub use given::{Api, Part, PartFailed, Profile, failure_reason};

use std::sync::Arc;

use tokio_util::task::AbortOnDropHandle;

async fn join<T>(task: AbortOnDropHandle<T>, part: Part) -> Result<T, PartFailed> {
    task.await.map_err(|error| PartFailed {
        part,
        reason: failure_reason(error),
    })
}

pub async fn fetch_profile(api: Arc<Api>, _id: u64) -> Result<Profile, PartFailed> {
    const ID: u64 = 7;
    let user = AbortOnDropHandle::new(tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.user(ID).await }
    }));
    let posts = AbortOnDropHandle::new(tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.posts(ID).await }
    }));
    let comments = AbortOnDropHandle::new(tokio::spawn(async move { api.comments(ID).await }));
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
