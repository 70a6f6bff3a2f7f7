//! Pitfall: `join!` of the three futures, without tasks.
//!
//! This is concurrent (0.5 s) and a dropped fetch does cancel every part,
//! since the parts live inside it. But nothing catches a panic: it unwinds out
//! of `fetch_profile` into the caller. A spawned task is where tokio draws
//! the line that turns a panic into a `JoinError`.
//!
//! Caught by: a_panic_in_one_part_is_an_error_naming_it

#[path = "../src/lib.rs"]
mod given;
pub use given::{Api, Part, PartFailed, Profile, failure_reason};

use std::sync::Arc;

pub async fn fetch_profile(api: Arc<Api>, id: u64) -> Result<Profile, PartFailed> {
    let (user, posts, comments) = tokio::join!(api.user(id), api.posts(id), api.comments(id));
    Ok(Profile {
        user,
        posts,
        comments,
    })
}
