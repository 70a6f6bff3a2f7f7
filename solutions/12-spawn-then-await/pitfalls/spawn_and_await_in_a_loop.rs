//! Pitfall: awaiting each task right after spawning it.
//!
//! `tokio::spawn(part).await` starts the part and then waits for it before
//! the next part is even spawned: the tasks run one at a time, exactly like
//! three plain `.await`s, and the profile costs 0.5 + 0.3 + 0.4 = 1.2 s. This
//! is the `for` loop of `await asyncio.create_task(...)` in Python.
//!
//! Caught by: profile_takes_as_long_as_the_slowest_part, every_part_starts_at_once

#[path = "../src/lib.rs"]
mod given;
pub use given::{Api, Part, PartFailed, Profile, failure_reason};

use std::sync::Arc;

/// What one part's task returns, so that the loop can treat them alike.
enum Fetched {
    User(String),
    Posts(Vec<String>),
    Comments(Vec<String>),
}

pub async fn fetch_profile(api: Arc<Api>, id: u64) -> Result<Profile, PartFailed> {
    let mut profile = Profile {
        user: String::new(),
        posts: Vec::new(),
        comments: Vec::new(),
    };
    for part in [Part::User, Part::Posts, Part::Comments] {
        let api = Arc::clone(&api);
        let task = tokio::spawn(async move {
            match part {
                Part::User => Fetched::User(api.user(id).await),
                Part::Posts => Fetched::Posts(api.posts(id).await),
                Part::Comments => Fetched::Comments(api.comments(id).await),
            }
        });
        let fetched = task.await.map_err(|error| PartFailed {
            part,
            reason: failure_reason(error),
        })?;
        match fetched {
            Fetched::User(user) => profile.user = user,
            Fetched::Posts(posts) => profile.posts = posts,
            Fetched::Comments(comments) => profile.comments = comments,
        }
    }
    Ok(profile)
}
