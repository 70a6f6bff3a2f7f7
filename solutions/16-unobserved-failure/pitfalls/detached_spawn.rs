//! Pitfall: spawning the task and dropping its `JoinHandle` (fire and forget).
//!
//! `tokio::spawn(task)` runs the task, but its outcome goes into the handle,
//! and the handle is dropped at once. An `Err` is dropped with it, without a
//! word; a panic is printed by the panic hook and then forgotten. Nothing ever
//! reaches `Failures`, which ends as soon as the supervisor is dropped.
//!
//! Caught by: an_error_is_reported_with_the_tasks_name, a_panic_is_reported_with_the_tasks_name, every_failure_is_reported_exactly_once

// The given code, from the kata's own file; only `spawn` is wrong here.
#[allow(dead_code)]
#[path = "../../../katas/16-unobserved-failure/src/given.rs"]
mod given;
pub use given::{Failure, FailureKind, Failures, Supervisor, panic_message, supervisor};

use std::fmt;

impl Supervisor {
    pub fn spawn<F, E>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        let _name = name.into();
        // The handle is dropped here: the task runs on, detached, and
        // whatever it returns or however it panics is seen by nobody.
        tokio::spawn(task);
    }
}
