//! Pitfall: the cleanup written as code after the steps.
//!
//! It reads like a `finally`, but it is only the next statement. A cancelled
//! future is dropped at the `.await` it is parked on and never polled again,
//! so nothing after that `.await` runs: the cleanup is skipped exactly when it
//! matters.
//!
//! Caught by: cleanup_runs_when_the_worker_is_cancelled, cancellation_lands_at_the_await_in_progress, dropping_the_work_future_runs_the_cleanup

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Event, Journal, Outcome};

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub async fn work(journal: Journal, steps: u32, step_time: Duration, stop: CancellationToken) -> u32 {
    let mut finished = 0;
    for step in 1..=steps {
        if stop.is_cancelled() {
            break;
        }
        journal.record(Event::Begun(step));
        tokio::time::sleep(step_time).await;
        journal.record(Event::Done(step));
        finished = step;
    }
    // The wrong answer: never reached when the future is dropped above.
    journal.record(Event::CleanedUp);
    finished
}

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
        self.handle.abort();
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
