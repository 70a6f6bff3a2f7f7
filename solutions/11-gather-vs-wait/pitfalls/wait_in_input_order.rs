//! Pitfall: `wait` that awaits the handles in the order they were given.
//!
//! Awaiting the first handle, then the second, and checking the condition in
//! between looks like `wait`, but FIRST_COMPLETED then means "the first task
//! *in the list* completed": a fast task behind a slow one is not noticed
//! until the slow one finishes. `done` comes out in input order, too.
//!
//! Caught by: first_completed_returns_when_the_first_task_finishes, a_panicking_task_counts_as_an_exception

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
    let mut done = Vec::new();
    let mut pending = tasks.into_iter().collect::<std::collections::VecDeque<_>>();
    while let Some(mut task) = pending.pop_front() {
        let joined = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, &mut task).await {
                Ok(joined) => joined,
                Err(_) => {
                    pending.push_front(task);
                    break;
                }
            },
            None => task.await,
        };
        let outcome = joined.unwrap_or_else(|error| Err(error.into()));
        let failed = outcome.is_err();
        done.push(outcome);
        match return_when {
            ReturnWhen::FirstCompleted => break,
            ReturnWhen::FirstException if failed => break,
            _ => {}
        }
    }
    Waited {
        done,
        pending: pending.into(),
    }
}
