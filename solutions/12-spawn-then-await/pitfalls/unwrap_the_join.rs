//! Pitfall: `.unwrap()` on the `JoinHandle`'s result.
//!
//! The runtime caught the part's panic and handed it back as a `JoinError`;
//! unwrapping it throws that away and panics again, now in the caller. One
//! broken service takes the whole page down instead of becoming an error.
//!
//! Caught by: a_panic_in_one_part_is_an_error_naming_it

#[path = "../src/lib.rs"]
mod given;
pub use given::{Api, Part, PartFailed, Profile, failure_reason};

use std::sync::Arc;

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
    let (user, posts, comments) = tokio::join!(user, posts, comments);
    Ok(Profile {
        user: user.unwrap(),
        posts: posts.unwrap(),
        comments: comments.unwrap(),
    })
}
