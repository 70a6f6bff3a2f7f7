//! Pitfall: aborting the other parts by hand when one fails, and only then.
//!
//! Calling `abort()` on the remaining handles in the error path stops them
//! after a failure. But the fetch can also end without reaching that code:
//! its caller drops it (a `timeout`, a lost `select!`). Then the plain
//! `JoinHandle`s are dropped, which detaches the tasks, and all three parts
//! run on. Only a guard dropped *with* the future covers both ways out.
//!
//! Caught by: cancelling_the_fetch_cancels_every_part

#[path = "../src/lib.rs"]
mod given;
pub use given::{Api, Part, PartFailed, Profile, failure_reason};

use std::sync::Arc;

use tokio::task::{AbortHandle, JoinHandle};

async fn join<T>(task: &mut JoinHandle<T>, part: Part) -> Result<T, PartFailed> {
    task.await.map_err(|error| PartFailed {
        part,
        reason: failure_reason(error),
    })
}

pub async fn fetch_profile(api: Arc<Api>, id: u64) -> Result<Profile, PartFailed> {
    let mut user = tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.user(id).await }
    });
    let mut posts = tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.posts(id).await }
    });
    let mut comments = tokio::spawn(async move { api.comments(id).await });
    let aborts: [AbortHandle; 3] = [
        user.abort_handle(),
        posts.abort_handle(),
        comments.abort_handle(),
    ];
    let joined = tokio::try_join!(
        join(&mut user, Part::User),
        join(&mut posts, Part::Posts),
        join(&mut comments, Part::Comments),
    );
    match joined {
        Ok((user, posts, comments)) => Ok(Profile {
            user,
            posts,
            comments,
        }),
        Err(failed) => {
            for task in &aborts {
                task.abort();
            }
            Err(failed)
        }
    }
}
