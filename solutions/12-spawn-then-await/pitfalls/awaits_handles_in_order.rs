//! Pitfall: spawning every part first, then awaiting the handles one by one.
//!
//! On success this is as fast as waiting for them together (0.5 s): the tasks
//! all run while the first handle is awaited. But a failure is only noticed
//! when its turn comes. Here the posts fail at 0.3 s, yet nobody looks at
//! them until the user arrives at 0.5 s, and by then the comments have run to
//! the end for nothing.
//!
//! Caught by: a_failed_part_stops_the_others, the_error_names_whichever_part_failed

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

pub async fn fetch_profile(api: Arc<Api>, id: u64) -> Result<Profile, PartFailed> {
    let user = AbortOnDropHandle::new(tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.user(id).await }
    }));
    let posts = AbortOnDropHandle::new(tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.posts(id).await }
    }));
    let comments = AbortOnDropHandle::new(tokio::spawn(async move { api.comments(id).await }));
    Ok(Profile {
        user: join(user, Part::User).await?,
        posts: join(posts, Part::Posts).await?,
        comments: join(comments, Part::Comments).await?,
    })
}
