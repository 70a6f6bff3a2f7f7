//! Pitfall: passing the boxed panic payload to `panic_message` instead of the payload itself.
//!
//! `join_error.into_panic()` returns a `Box<dyn Any + Send>`. Writing
//! `panic_message(&payload)` compiles, because the `Box` is itself a value of
//! type `Any`; but then `downcast_ref` asks whether that *box* is a `&str` or a
//! `String`. It never is, so every panic is reported as "a panic with a
//! non-string payload" and its message is lost. Dereference first: `&*payload`.
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
        let handle = tokio::spawn(task);
        tokio::spawn(async move {
            let kind = match handle.await {
                Ok(Ok(())) => return,
                Ok(Err(error)) => FailureKind::Error(error.to_string()),
                Err(join_error) if join_error.is_panic() => {
                    let payload = join_error.into_panic();
                    // The `Box` is what gets inspected here, not the payload.
                    FailureKind::Panic(panic_message(&payload))
                }
                Err(_) => return,
            };
            let _ = report.send(Failure { task: name, kind });
        });
    }
}
