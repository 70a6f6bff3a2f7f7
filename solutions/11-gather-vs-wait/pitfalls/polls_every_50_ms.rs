//! Pitfall: `wait` that checks the handles on a fixed 50 ms tick.
//!
//! Sleeping a fixed time between looks at `is_finished()` seems harmless, but
//! `wait` then returns up to one tick late, after the task that should have
//! woken it: it answers on its own schedule instead of the tasks'.
//!
//! Caught by: first_completed_returns_when_the_first_task_finishes

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
    let deadline = timeout.map(|timeout| tokio::time::Instant::now() + timeout);
    let mut pending = tasks;
    let mut done = Vec::new();
    loop {
        let mut index = 0;
        while index < pending.len() {
            if pending[index].is_finished() {
                let joined = pending.remove(index).await;
                done.push(joined.unwrap_or_else(|error| Err(error.into())));
            } else {
                index += 1;
            }
        }
        let stop = pending.is_empty()
            || deadline.is_some_and(|deadline| tokio::time::Instant::now() >= deadline)
            || match return_when {
                ReturnWhen::FirstCompleted => !done.is_empty(),
                ReturnWhen::FirstException => done.iter().any(Result::is_err),
                ReturnWhen::AllCompleted => false,
            };
        if stop {
            return Waited { done, pending };
        }
        let tick = tokio::time::Instant::now() + Duration::from_millis(50);
        tokio::time::sleep_until(deadline.map_or(tick, |deadline| deadline.min(tick))).await;
    }
}
