//! The given part of kata 16: the [`Failure`] reports, [`panic_message`], and
//! the channel between a [`Supervisor`] and its [`Failures`] (made by
//! [`supervisor`]). You do not need to change this file; the tests and the
//! reference solution use it as it is. [`Supervisor::spawn`] is yours, in
//! `src/lib.rs`.

use std::any::Any;

use tokio::sync::mpsc;

/// What went wrong in a supervised task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The task returned `Err`; this is the error's `Display` text.
    Error(String),
    /// The task panicked; this is the panic message.
    Panic(String),
}

/// One failed task: its name and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The name the task was spawned with.
    pub task: String,
    /// How it failed.
    pub kind: FailureKind,
}

/// The message of a panic, from the payload that `JoinError::into_panic` gives.
///
/// `panic!("literal")` carries a `&'static str`, `panic!("{x}")` a `String`;
/// anything else (`std::panic::panic_any(42)`) has no text to show. Pass it
/// the payload itself (`&*payload`), not the `Box` around it.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}

/// Creates a supervisor and the receiving end of its failure reports.
pub fn supervisor() -> (Supervisor, Failures) {
    // Unbounded, so that sending a report never waits: a full channel would
    // hold up whoever reports, not the failing task, and the reports are few
    // (one per failed task).
    let (report, reports) = mpsc::unbounded_channel();
    (Supervisor { report }, Failures { reports })
}

/// Spawns named tasks and reports each of their failures exactly once.
///
/// Cloning gives another handle to the same supervisor (a task may spawn more
/// supervised tasks); the failures of all of them go to the one [`Failures`].
#[derive(Debug, Clone)]
pub struct Supervisor {
    /// Where failures are sent. [`Failures::recv`] returns `None` once every
    /// clone of this sender is dropped.
    // `pub(crate)`: `Supervisor::spawn`, in `src/lib.rs`, sends on it.
    pub(crate) report: mpsc::UnboundedSender<Failure>,
}

/// The failures of a supervisor's tasks, in the order they happen.
#[derive(Debug)]
pub struct Failures {
    reports: mpsc::UnboundedReceiver<Failure>,
}

impl Failures {
    /// Waits for the next failure. `None` once the supervisor (every clone of
    /// it) is dropped and every task it spawned has finished.
    pub async fn recv(&mut self) -> Option<Failure> {
        self.reports.recv().await
    }
}
