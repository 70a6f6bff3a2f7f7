//! Kata 16: what happens when a task nobody awaits fails?
//!
//! A spawned task can fail in two ways: it returns an `Err`, or it panics.
//! Both end up in its `JoinHandle` and nowhere else, so a task spawned and
//! forgotten fails in silence. Build a [`Supervisor`] that spawns named tasks
//! and reports each failure, with the task's name, on [`Failures`]: every
//! failure exactly once, at the moment it happens, and no success.
//!
//! Run the tests with `cargo test -p unobserved-failure`, or `cargo xtask watch`.

use std::any::Any;
use std::fmt;

use tokio::sync::mpsc;

/// What went wrong in a supervised task.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The task returned `Err`; this is the error's `Display` text.
    Error(String),
    /// The task panicked; this is the panic message.
    Panic(String),
}

/// One failed task: its name and what went wrong.
///
/// This part is given: you do not need to change it.
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
///
/// This part is given: you do not need to change it.
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
///
/// This part is given: you do not need to change it.
pub fn supervisor() -> (Supervisor, Failures) {
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
    report: mpsc::UnboundedSender<Failure>,
}

impl Supervisor {
    /// Starts `task` at once under `name`. If it returns `Err` or panics, a
    /// [`Failure`] with that name is reported, at the moment it happens. A
    /// task that returns `Ok(())` is not reported.
    pub fn spawn<F, E>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        let name = name.into();
        // Given: a sender of this task's own, so that its report can still be
        // sent after the supervisor itself is dropped.
        let report = self.report.clone();
        // TODO: spawn `task`, and make sure somebody awaits its JoinHandle as
        // soon as it ends: `Ok(Err(e))` is an error, a `JoinError` that
        // `is_panic()` is a panic. Send a `Failure` on `report` when it fails,
        // and keep `report` alive until then.
        todo!(
            "spawn the task {name:?} ({}) and report its failure (reports closed: {})",
            std::any::type_name_of_val(&task),
            report.is_closed()
        )
    }
}

/// The failures of a supervisor's tasks, in the order they happen.
///
/// This part is given: you do not need to change it.
#[derive(Debug)]
pub struct Failures {
    reports: mpsc::UnboundedReceiver<Failure>,
}

impl Failures {
    /// Waits for the next failure. `None` once the supervisor (every clone of
    /// it) is dropped and every task it spawned has finished.
    ///
    /// This part is given: you do not need to change it.
    pub async fn recv(&mut self) -> Option<Failure> {
        self.reports.recv().await
    }
}
