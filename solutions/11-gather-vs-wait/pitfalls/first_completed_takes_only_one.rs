//! Pitfall: FIRST_COMPLETED that reports only one of the tasks that finished.
//!
//! Stopping at the first ready handle of a pass (or using a "next one to
//! finish" primitive once) leaves in `pending` a task that has already
//! finished at the same moment. Python's `done` holds *every* task that is
//! done when `wait` returns; a caller that reads `done` would miss one.
//!
//! Caught by: first_completed_returns_every_task_done_at_that_moment

#[path = "../src/lib.rs"]
mod given;
pub use given::{ReturnWhen, Waited, gather};

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use tokio::task::JoinHandle;

pub async fn wait<T>(
    tasks: Vec<JoinHandle<anyhow::Result<T>>>,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
) -> Waited<T> {
    if return_when != ReturnWhen::FirstCompleted {
        return given::wait(tasks, return_when, timeout).await;
    }
    let deadline = timeout.map(|timeout| tokio::time::Instant::now() + timeout);
    let mut pending = tasks;
    let mut done = Vec::new();
    if !pending.is_empty() {
        // Returns as soon as *one* handle is ready, leaving the others unpolled.
        let one = poll_fn(|cx| {
            for index in 0..pending.len() {
                if let Poll::Ready(joined) = Pin::new(&mut pending[index]).poll(cx) {
                    pending.remove(index);
                    return Poll::Ready(joined.unwrap_or_else(|error| Err(error.into())));
                }
            }
            Poll::Pending
        });
        let outcome = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, one).await.ok(),
            None => Some(one.await),
        };
        done.extend(outcome);
    }
    Waited { done, pending }
}
