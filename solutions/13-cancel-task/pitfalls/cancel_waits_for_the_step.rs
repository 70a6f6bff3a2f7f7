//! Pitfall: `cancel` implemented as a polite request.
//!
//! Setting the token only asks the worker to stop between steps: the step in
//! progress runs to its end and the worker then returns normally. That is a
//! fine *stop*, but `task.cancel()` means "stop at the next await", and the
//! outcome must then say cancelled, not completed.
//!
//! Caught by: cancellation_lands_at_the_await_in_progress, a_cancelled_worker_ends_without_finishing_its_step, the_outcome_of_a_cancelled_worker_is_cancelled

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Event, Journal, Outcome, work};

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

#[derive(Debug)]
pub struct Worker {
    handle: JoinHandle<u32>,
    stop: CancellationToken,
}

pub fn spawn_worker(journal: Journal, steps: u32, step_time: Duration) -> Worker {
    let stop = CancellationToken::new();
    let handle = tokio::spawn(work(journal, steps, step_time, stop.clone()));
    Worker { handle, stop }
}

impl Worker {
    pub fn cancel(&self) {
        // The wrong answer: a request the worker looks at only between steps.
        self.stop.cancel();
    }

    pub fn stop(&self) {
        self.stop.cancel();
    }

    pub async fn outcome(self) -> Outcome {
        match self.handle.await {
            Ok(steps) => Outcome::Completed { steps },
            Err(error) if error.is_cancelled() => Outcome::Cancelled,
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
}
