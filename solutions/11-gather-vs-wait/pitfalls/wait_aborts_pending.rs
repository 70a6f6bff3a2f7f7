//! Pitfall: `wait` that cancels the tasks it did not wait for.
//!
//! This is what `tokio::select!` does with its losing branches, and it is the
//! opposite of `asyncio.wait`: there the pending tasks keep running, and the
//! caller decides what to do with them. Aborted here, they can only report
//! that they were cancelled.
//!
//! Caught by: pending_tasks_keep_running_after_first_completed, timeout_returns_what_finished_and_what_did_not

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
    let waited = given::wait(tasks, return_when, timeout).await;
    for task in &waited.pending {
        task.abort();
    }
    waited
}
