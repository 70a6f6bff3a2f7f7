//! Kata 16: what happens when a task nobody awaits fails?
//!
//! A spawned task can fail in two ways: it returns an `Err`, or it panics.
//! Both end up in its `JoinHandle` and nowhere else, so a task spawned and
//! forgotten fails in silence. Build a [`Supervisor`] that spawns named tasks
//! and reports each failure, with the task's name, on [`Failures`]: every
//! failure exactly once, at the moment it happens, and no success.
//!
//! The failure types, the channel ([`supervisor`], the [`Supervisor`] struct,
//! [`Failures`]) and [`panic_message`] are given, in `src/given.rs`: what you
//! write is [`Supervisor::spawn`].
//!
//! Run the tests with `cargo test -p unobserved-failure`, or `cargo xtask watch`.

mod given;
pub use given::{Failure, FailureKind, Failures, Supervisor, panic_message, supervisor};

use std::fmt;

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
