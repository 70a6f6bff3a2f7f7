//! Pitfall: the steps run in a task of their own, which nobody cancels.
//!
//! The cleanup guard is right, but `work` hands its loop to `tokio::spawn` and
//! awaits the handle. Dropping `work` (an abort, a timeout) drops only that
//! handle, and a dropped `JoinHandle` detaches its task: the cleanup is
//! recorded, yet the steps go on in the background, so "cancelled" is a lie.
//!
//! Caught by: cancellation_lands_at_the_await_in_progress, dropping_the_work_future_runs_the_cleanup

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Event, Journal, Outcome};

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

struct Cleanup(Journal);

impl Drop for Cleanup {
    fn drop(&mut self) {
        self.0.record(Event::CleanedUp);
    }
}

pub async fn work(journal: Journal, steps: u32, step_time: Duration, stop: CancellationToken) -> u32 {
    let _cleanup = Cleanup(journal.clone());
    // The wrong answer: the steps belong to a detached task, not to `work`.
    let steps = tokio::spawn(async move {
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
        finished
    });
    match steps.await {
        Ok(finished) => finished,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
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
