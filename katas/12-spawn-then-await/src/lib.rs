//! Kata 12: spawn first, await later.
//!
//! A profile page needs three parts from three services: the user (0.5 s),
//! their posts (0.3 s) and the comments (0.4 s). Write [`fetch_profile`] so
//! that the three run as concurrent tasks: 0.5 s in all, not 1.2 s. A part
//! that panics must become an error naming it, and no part may keep running
//! once the fetch has failed or been cancelled.
//!
//! [`Part`], [`Api`], [`Profile`], [`PartFailed`] and [`failure_reason`] are
//! given.
//!
//! Run the tests with `cargo test -p spawn-then-await`, or `cargo xtask watch`.

use std::any::Any;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::Instant;

/// One part of a profile, each served by its own (simulated) service.
///
/// This part is given: you do not need to change it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The user record: 0.5 s.
    User,
    /// The user's posts: 0.3 s.
    Posts,
    /// The comments on them: 0.4 s.
    Comments,
}

impl Part {
    /// How long the service for this part takes to answer.
    pub fn latency(self) -> Duration {
        match self {
            Part::User => Duration::from_millis(500),
            Part::Posts => Duration::from_millis(300),
            Part::Comments => Duration::from_millis(400),
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::User => "user",
            Part::Posts => "posts",
            Part::Comments => "comments",
        })
    }
}

/// The simulated services behind a profile page.
///
/// Each request logs `"start <part>"` when it begins and, when it ends,
/// `"end <part>"`, `"panic <part>"`, or `"cancel <part>"` if it was dropped
/// before finishing. [`Api::panicking_in`] makes one part's service panic when
/// its answer is due.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Default)]
pub struct Api {
    panics_in: Option<Part>,
    // A std `Mutex`: held for one push or one clone, never across an `.await`.
    events: Mutex<Vec<(String, Instant)>>,
}

impl Api {
    /// Services that all answer normally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Services where `part` panics (after its latency) instead of answering.
    pub fn panicking_in(part: Part) -> Self {
        Self {
            panics_in: Some(part),
            ..Self::default()
        }
    }

    /// Fetches the user record: `"user <id>"` after 0.5 s.
    pub async fn user(&self, id: u64) -> String {
        self.request(Part::User).await;
        format!("user {id}")
    }

    /// Fetches the user's posts after 0.3 s.
    pub async fn posts(&self, id: u64) -> Vec<String> {
        self.request(Part::Posts).await;
        vec![format!("post 1 by {id}"), format!("post 2 by {id}")]
    }

    /// Fetches the comments on the user's posts after 0.4 s.
    pub async fn comments(&self, id: u64) -> Vec<String> {
        self.request(Part::Comments).await;
        vec![format!("comment 1 for {id}")]
    }

    /// Every event so far, oldest first, with the (tokio) time it happened.
    pub fn events(&self) -> Vec<(String, Instant)> {
        self.events
            .lock()
            .expect("no code panics while holding the events")
            .clone()
    }

    fn log(&self, event: String) {
        self.events
            .lock()
            .expect("no code panics while holding the events")
            .push((event, Instant::now()));
    }

    /// Waits for `part`'s latency, logging how the request ends.
    async fn request(&self, part: Part) {
        /// Logs how the request ended when it is dropped.
        struct Ending<'a> {
            api: &'a Api,
            part: Part,
            finished: bool,
        }
        impl Drop for Ending<'_> {
            fn drop(&mut self) {
                let how = if self.finished {
                    "end"
                } else if std::thread::panicking() {
                    "panic"
                } else {
                    "cancel"
                };
                self.api.log(format!("{how} {}", self.part));
            }
        }

        self.log(format!("start {part}"));
        let mut ending = Ending {
            api: self,
            part,
            finished: false,
        };
        tokio::time::sleep(part.latency()).await;
        if self.panics_in == Some(part) {
            panic!("the {part} service crashed");
        }
        ending.finished = true;
    }
}

/// A user's profile page: every part, fetched for one user.
///
/// This part is given: you do not need to change it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// The user record.
    pub user: String,
    /// The user's posts.
    pub posts: Vec<String>,
    /// The comments on them.
    pub comments: Vec<String>,
}

/// The error of a profile fetch: which part failed, and why.
///
/// This part is given: you do not need to change it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartFailed {
    /// The part that failed.
    pub part: Part,
    /// Why: the panic message of its task, or `"cancelled"`.
    pub reason: String,
}

impl fmt::Display for PartFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not fetch the {}: {}", self.part, self.reason)
    }
}

impl std::error::Error for PartFailed {}

/// Why a task did not return: its panic message, or `"cancelled"`.
///
/// This part is given: you do not need to change it.
pub fn failure_reason(error: JoinError) -> String {
    match error.try_into_panic() {
        Ok(payload) => panic_message(payload.as_ref()),
        Err(_cancelled) => "cancelled".to_owned(),
    }
}

/// A panic payload is a `&'static str` for `panic!("literal")` and a `String`
/// for `panic!("with {args}")`; anything else has no message to show.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// Fetches the user, posts and comments of user `id` concurrently, each in
/// its own task.
///
/// Takes as long as the slowest part (0.5 s), not the sum (1.2 s). If a part
/// panics, returns at once with an error naming it, and stops the other parts.
/// If this future is dropped before it finishes, every part is stopped too.
///
/// # Errors
/// [`PartFailed`] naming the first part whose task panicked.
pub async fn fetch_profile(api: Arc<Api>, id: u64) -> Result<Profile, PartFailed> {
    // TODO: spawn one task per part (each with its own `Arc` clone) before
    // awaiting any of them; then wait for the three together, turning a
    // `JoinError` into `PartFailed` (see `failure_reason`) and returning at the
    // first failure. Remember that dropping a `JoinHandle` does not stop its
    // task: make sure no part outlives this function, however it ends
    // (`tokio_util::task::AbortOnDropHandle` is available).
    todo!("fetch the profile of user {id} from {api:?}")
}
