//! Pitfall: one part's failure reported under another part's name.
//!
//! Three nearly identical `map_err` lines invite a copy-paste slip: here the
//! comments' error says "posts". The panic message is right, so the mistake
//! only shows when a part other than the one first tried actually fails, and
//! then the error sends whoever reads it to the wrong service.
//!
//! Caught by: the_error_names_whichever_part_failed

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
    let (user, posts, comments) = tokio::try_join!(
        join(user, Part::User),
        join(posts, Part::Posts),
        join(comments, Part::Posts),
    )?;
    Ok(Profile {
        user,
        posts,
        comments,
    })
}
