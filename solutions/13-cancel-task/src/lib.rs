//! Kata 13, reference solution: cancel a task.
//!
//! Python cancels a task by throwing `CancelledError` into it at its next
//! `await`; the coroutine's `finally` blocks run as the exception unwinds.
//! Rust has no exception to throw: tokio cancels a task by *dropping its
//! future* the next time the task would be polled. Dropping a future drops
//! every local it holds, so the Rust `finally` is a value whose `Drop` does the
//! cleanup (a drop guard). Code written after an `.await` is not cleanup at
//! all: when the future is dropped at that `.await`, the code never runs.
//!
//! Two ways to stop a worker are shown:
//!
//! * [`Worker::cancel`] aborts the task: abrupt, it lands at whatever `.await`
//!   the worker is parked on, even in the middle of a step;
//! * [`Worker::stop`] asks politely through a [`CancellationToken`]: the worker
//!   checks it between steps, so the step in progress is finished.
//!
//! Either way [`Worker::outcome`] reports what happened, reading the
//! `JoinError` that tokio gives for an aborted task.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/13-cancel-task/src/given.rs"]
mod given;
pub use given::{Event, Journal, Outcome};

/// Records [`Event::CleanedUp`] when dropped: the Rust spelling of `finally`.
///
/// A cancelled future is dropped, and dropping it drops this guard, so the
/// cleanup runs whether the worker returns, is aborted, or panics.
struct CleanupGuard {
    journal: Journal,
}

impl Drop for CleanupGuard {
    fn drop(&mut self) {
        // `Drop` cannot await, so cleanup must be synchronous. Work that must
        // await (a network goodbye, a flush) has to be spawned from here or
        // done before the worker can be cancelled (kata 15).
        self.journal.record(Event::CleanedUp);
    }
}

/// The worker's body: runs `steps` steps of `step_time` each and returns how
/// many it finished.
///
/// Each step records [`Event::Begun`], sleeps for `step_time`, then records
/// [`Event::Done`]. Before each step the worker checks `stop`; once it is
/// cancelled, no new step begins. [`Event::CleanedUp`] is recorded exactly
/// once however the worker ends: returning, or being dropped mid-step.
pub async fn work(
    journal: Journal,
    steps: u32,
    step_time: Duration,
    stop: CancellationToken,
) -> u32 {
    // Created first, so that it lives as long as the future does: when the
    // future is dropped at any `.await` below, the guard is dropped with it.
    let _cleanup = CleanupGuard {
        journal: journal.clone(),
    };

    let mut finished = 0;
    for step in 1..=steps {
        // The polite stop: checked only between steps, so a step that has
        // begun always finishes. Nothing here can interrupt the worker; it
        // chooses to look.
        if stop.is_cancelled() {
            break;
        }
        journal.record(Event::Begun(step));
        // The only `.await` in the loop, hence the only place an abort can
        // land: the worker is parked here, and an aborted task is never
        // polled again, so `Done(step)` is not recorded.
        tokio::time::sleep(step_time).await;
        journal.record(Event::Done(step));
        finished = step;
    }
    finished
}

/// A running worker: its task handle and its polite stop signal.
#[derive(Debug)]
pub struct Worker {
    handle: JoinHandle<u32>,
    stop: CancellationToken,
}

/// Spawns [`work`] as a task and returns its [`Worker`] handle at once.
pub fn spawn_worker(journal: Journal, steps: u32, step_time: Duration) -> Worker {
    let stop = CancellationToken::new();
    // Spawned, not just built: the worker runs on its own, and the handle is
    // what lets us abort it and collect its outcome. The worker gets a clone
    // of the token; cancelling any clone is seen by all of them.
    let handle = tokio::spawn(work(journal, steps, step_time, stop.clone()));
    Worker { handle, stop }
}

impl Worker {
    /// Cancels the worker abruptly, like Python's `task.cancel()`.
    ///
    /// Returns at once. The worker's future is dropped the next time its task
    /// would run, that is at the `.await` it is parked on; its cleanup runs
    /// then. Cancelling a worker that already finished changes nothing.
    pub fn cancel(&self) {
        // `abort` only flags the task and schedules it; the runtime drops the
        // future instead of polling it. A finished task keeps its result.
        self.handle.abort();
    }

    /// Asks the worker to stop after the step in progress. Returns at once.
    pub fn stop(&self) {
        self.stop.cancel();
    }

    /// Waits for the worker to end and says how it ended.
    ///
    /// # Panics
    /// If the worker panicked: the panic is re-raised here, not hidden.
    pub async fn outcome(self) -> Outcome {
        match self.handle.await {
            Ok(steps) => Outcome::Completed { steps },
            // The one place the cancellation becomes visible: an aborted task
            // has no value, and its JoinError says why.
            Err(error) if error.is_cancelled() => Outcome::Cancelled,
            // Any other JoinError is a panic; swallowing it would hide a bug.
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
}
