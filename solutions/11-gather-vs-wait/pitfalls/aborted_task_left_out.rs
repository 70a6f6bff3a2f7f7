//! Pitfall: leaving an aborted task out of `done`.
//!
//! A `JoinError` is either a panic or a cancellation. Reporting the panics
//! and silently dropping the cancelled handles loses a task: it is neither in
//! `done` nor in `pending`, and FIRST_EXCEPTION keeps waiting although a task
//! has already failed.
//!
//! Caught by: an_aborted_task_counts_as_a_failure

#[path = "../src/lib.rs"]
mod given;
pub use given::{ReturnWhen, Waited, gather};

use std::time::Duration;

use tokio::task::JoinHandle;

pub async fn wait<T: Send + 'static>(
    tasks: Vec<JoinHandle<anyhow::Result<T>>>,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
) -> Waited<T> {
    let deadline = timeout.map(|timeout| tokio::time::Instant::now() + timeout);
    let mut waited = Waited {
        done: Vec::new(),
        pending: tasks,
    };
    loop {
        let left = deadline.map(|deadline| deadline - tokio::time::Instant::now());
        let round = given::wait(
            std::mem::take(&mut waited.pending),
            ReturnWhen::FirstCompleted,
            left,
        )
        .await;
        let finished_nothing = round.done.is_empty();
        // The mistake: an `Err` that says "cancelled" is thrown away.
        waited.done.extend(
            round
                .done
                .into_iter()
                .filter(|outcome| !matches!(outcome, Err(error) if error.to_string().contains("cancelled"))),
        );
        waited.pending = round.pending;
        let stop = waited.pending.is_empty()
            || finished_nothing
            || match return_when {
                ReturnWhen::FirstCompleted => !waited.done.is_empty(),
                ReturnWhen::FirstException => waited.done.iter().any(Result::is_err),
                ReturnWhen::AllCompleted => false,
            };
        if stop {
            return waited;
        }
    }
}
