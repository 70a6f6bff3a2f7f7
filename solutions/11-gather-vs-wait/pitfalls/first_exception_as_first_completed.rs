//! Pitfall: FIRST_EXCEPTION that returns at the first *completion*.
//!
//! A success is not an exception. Returning as soon as anything finishes
//! hands the caller a success and hides the failure it asked to hear about.
//!
//! Caught by: first_exception_returns_at_the_first_failure, first_exception_without_failures_waits_for_all

#[path = "../src/lib.rs"]
mod given;
pub use given::{ReturnWhen, Waited, gather};

use std::time::Duration;

use tokio::task::JoinHandle;

pub async fn wait<T>(
    tasks: Vec<JoinHandle<anyhow::Result<T>>>,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
) -> Waited<T> {
    let return_when = match return_when {
        ReturnWhen::FirstException => ReturnWhen::FirstCompleted,
        other => other,
    };
    given::wait(tasks, return_when, timeout).await
}
