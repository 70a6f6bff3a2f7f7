//! Pitfall: reading a cancelled task as "completed, nothing done".
//!
//! `handle.await.unwrap_or(0)` turns every `JoinError` into a value. The
//! caller can no longer tell a worker that was cancelled from one that had
//! nothing to do, and a panic in the worker vanishes as well.
//!
//! Caught by: the_outcome_of_a_cancelled_worker_is_cancelled, a_worker_cancelled_before_it_runs_does_nothing

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
        self.handle.abort();
    }

    pub fn stop(&self) {
        self.stop.cancel();
    }

    pub async fn outcome(self) -> Outcome {
        // The wrong answer: the JoinError, and with it the cancellation, is lost.
        Outcome::Completed {
            steps: self.handle.await.unwrap_or(0),
        }
    }
}
