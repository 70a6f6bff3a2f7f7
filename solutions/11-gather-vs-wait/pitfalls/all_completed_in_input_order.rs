//! Pitfall: ALL_COMPLETED that collects `done` in the order the tasks were given.
//!
//! "Wait for all" reads like `join_all` over the handles, and the timing is
//! right. But `done` is the order the tasks *finished*: it is how the caller
//! learns what happened first. `join_all` reports them in input order.
//!
//! Caught by: all_completed_lists_done_in_finishing_order

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
    if return_when != ReturnWhen::AllCompleted || timeout.is_some() {
        return given::wait(tasks, return_when, timeout).await;
    }
    let done = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(|joined| joined.unwrap_or_else(|error| Err(error.into())))
        .collect();
    Waited {
        done,
        pending: Vec::new(),
    }
}
