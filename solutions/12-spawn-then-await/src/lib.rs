//! Kata 12, reference solution: spawn first, await later.
//!
//! `tokio::spawn` starts a task at once; awaiting its `JoinHandle` only waits
//! for it. So the order matters: spawn *every* part first, then wait for them
//! together, and the profile costs the slowest part (0.5 s). Awaiting each
//! handle right after its spawn waits for one part before the next has even
//! started, and the profile costs the sum (1.2 s): the tasks bought nothing.
//!
//! Spawning also gives two things a plain `join!` of futures does not:
//!
//! * a panic inside a task is caught by the runtime and handed back as a
//!   `JoinError`, so one broken part becomes an error value, not a crash;
//! * but a `JoinHandle` does not own its task: dropping it *detaches* the task,
//!   which keeps running. [`fetch_profile`] therefore wraps each handle in
//!   tokio-util's `AbortOnDropHandle`, which aborts the task when dropped, so
//!   that a failed or cancelled fetch leaves no part running behind it.

use std::any::Any;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::Instant;
use tokio_util::task::AbortOnDropHandle;

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
    // Spawn all three before awaiting any: each `spawn` starts its task at
    // once, so the three requests are in flight together. Each task gets its
    // own `Arc` clone because a spawned task must own what it uses (it may
    // outlive this function's borrow of `api`).
    //
    // Each handle goes straight into an `AbortOnDropHandle` (tokio-util): a
    // `JoinHandle` that aborts its task when dropped. A bare `JoinHandle`
    // only observes its task; dropping it would detach the part, which would
    // run on with nobody waiting for it.
    let user = AbortOnDropHandle::new(tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.user(id).await }
    }));
    let posts = AbortOnDropHandle::new(tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.posts(id).await }
    }));
    let comments = AbortOnDropHandle::new(tokio::spawn(async move { api.comments(id).await }));

    // Now wait for the three together. `try_join!` returns the first error as
    // soon as it happens, and drops the other two `join` futures as it does:
    // the guards they own are dropped with them, which aborts the parts still
    // running. It is the same when *this* future is dropped (a caller's
    // timeout): the guards go with it, wherever it was suspended.
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

/// Waits for one part's task; turns its panic (or cancellation) into [`PartFailed`].
///
/// Takes the guard by value, so that it lives exactly as long as this future:
/// dropping the future (as `try_join!` does after another part failed) aborts
/// the task.
async fn join<T>(task: AbortOnDropHandle<T>, part: Part) -> Result<T, PartFailed> {
    // `AbortOnDropHandle` is a future, like the `JoinHandle` inside it: it
    // gives `Result<T, JoinError>`, and the `Err` is a panic or an abort.
    task.await.map_err(|error| PartFailed {
        part,
        reason: failure_reason(error),
    })
}
