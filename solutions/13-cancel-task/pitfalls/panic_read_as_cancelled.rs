//! Pitfall: every `JoinError` read as a cancellation.
//!
//! `Err(_) => Outcome::Cancelled` looks harmless, since an aborted task is the
//! usual reason for an error. But a task that panicked gives a `JoinError`
//! too: the bug is reported as a routine cancellation and its panic is lost.
//! Check `is_cancelled()` and re-raise everything else.
//!
//! Caught by: a_panic_in_the_worker_is_re_raised_not_reported_as_cancelled

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
        match self.handle.await {
            Ok(steps) => Outcome::Completed { steps },
            // The wrong answer: a panic passes for a cancellation.
            Err(_) => Outcome::Cancelled,
        }
    }
}
