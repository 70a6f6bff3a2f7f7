//! Pitfall: reporting the `Err`s a task returns, and forgetting its panics.
//!
//! The task is wrapped in `async move { if let Err(e) = task.await { report } }`
//! and that wrapper is spawned. A panic is not an `Err`: it unwinds straight
//! through the wrapper, which ends the spawned task before the `if let` is
//! reached. Only the `JoinHandle` of the task sees a panic, as a `JoinError`.
//!
//! Caught by: a_panic_is_reported_with_the_tasks_name, a_formatted_panic_message_is_kept, every_failure_is_reported_exactly_once

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
        let name = name.into();
        let report = self.report.clone();
        tokio::spawn(async move {
            if let Err(error) = task.await {
                let _ = report.send(Failure {
                    task: name,
                    kind: FailureKind::Error(error.to_string()),
                });
            }
        });
    }
}
