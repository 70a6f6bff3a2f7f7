//! The given part of kata 12: the simulated services behind a profile page
//! ([`Api`]), the [`Part`]s they serve, the [`Profile`] and [`PartFailed`]
//! types, and [`failure_reason`], which reads a task's `JoinError`. You do not
//! need to change this file; the tests and the reference solution use it as it
//! is.

use std::any::Any;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::Instant;

/// One part of a profile, each served by its own (simulated) service.
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
