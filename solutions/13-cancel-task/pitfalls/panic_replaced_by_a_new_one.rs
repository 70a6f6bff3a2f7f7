//! Pitfall: a panicking worker reported with a new panic of our own.
//!
//! Panicking with the `JoinError` (`panic!("{error}")`, or an `expect`) does
//! fail loudly, but the worker's own payload and message are replaced by a
//! description of the `JoinError`. `resume_unwind(error.into_panic())` keeps
//! the original, as if the caller had run the worker itself.
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
            Err(error) if error.is_cancelled() => Outcome::Cancelled,
            // The wrong answer: the worker's panic is replaced by a new one.
            Err(error) => panic!("the worker failed: {error}"),
        }
    }
}
