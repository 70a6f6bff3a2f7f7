//! Pitfall: a watcher that checks `is_finished()` every 100 ms instead of awaiting the handle.
//!
//! Polling with a timer looks harmless, but a failure is then reported at the
//! next tick after it happens, not when it happens, and the reports end late
//! too. Awaiting the `JoinHandle` wakes the watcher at exactly the right
//! moment, and costs nothing while the task runs.
//!
//! Caught by: a_failure_is_reported_when_it_happens, a_task_that_succeeds_is_not_reported

// The given code, from the kata's own file; only `spawn` is wrong here.
#[allow(dead_code)]
#[path = "../../../katas/16-unobserved-failure/src/given.rs"]
mod given;
pub use given::{Failure, FailureKind, Failures, Supervisor, panic_message, supervisor};

use std::fmt;
use std::time::Duration;

impl Supervisor {
    pub fn spawn<F, E>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        let name = name.into();
        let report = self.report.clone();
        let handle = tokio::spawn(task);
        tokio::spawn(async move {
            // Checks on a timer: late by up to one period.
            while !handle.is_finished() {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let kind = match handle.await {
                Ok(Ok(())) => return,
                Ok(Err(error)) => FailureKind::Error(error.to_string()),
                Err(join_error) if join_error.is_panic() => {
                    FailureKind::Panic(panic_message(&*join_error.into_panic()))
                }
                Err(_) => return,
            };
            let _ = report.send(Failure { task: name, kind });
        });
    }
}
