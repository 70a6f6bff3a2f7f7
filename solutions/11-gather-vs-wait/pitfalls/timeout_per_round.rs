//! Pitfall: a timeout that starts again after every task that finishes.
//!
//! Wrapping each round of waiting in `tokio::time::timeout(timeout, …)` gives
//! every round the whole budget: with tasks finishing now and then, `wait`
//! can run far past its timeout. The deadline has to be fixed once, when
//! `wait` starts (`timeout_at`).
//!
//! Caught by: timeout_returns_what_finished_and_what_did_not

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
    let mut waited = Waited {
        done: Vec::new(),
        pending: tasks,
    };
    loop {
        // One round: wait for one more task to finish (the given `wait` with
        // FIRST_COMPLETED), with the whole timeout every time.
        let round = given::wait(
            std::mem::take(&mut waited.pending),
            ReturnWhen::FirstCompleted,
            timeout,
        )
        .await;
        let finished_nothing = round.done.is_empty();
        waited.done.extend(round.done);
        waited.pending = round.pending;
        let stop = waited.pending.is_empty()
            || finished_nothing
            || match return_when {
                ReturnWhen::FirstCompleted => true,
                ReturnWhen::FirstException => waited.done.iter().any(Result::is_err),
                ReturnWhen::AllCompleted => false,
            };
        if stop {
            return waited;
        }
    }
}
