//! Kata 13: cancel a task.
//!
//! A worker does a number of steps; each step records [`Event::Begun`], sleeps,
//! then records [`Event::Done`] in a shared [`Journal`]. Write:
//!
//! * [`work`], the worker's body, whose cleanup ([`Event::CleanedUp`]) runs
//!   however it ends: returning, or being cancelled in the middle of a step;
//! * [`spawn_worker`] and the [`Worker`] handle: [`Worker::cancel`] aborts the
//!   task, [`Worker::stop`] asks it politely to stop after the current step,
//!   and [`Worker::outcome`] says whether it completed or was cancelled.
//!
//! [`Event`], [`Journal`] and [`Outcome`] are given, in `src/given.rs`: this
//! file holds only what you write.
//!
//! Run the tests with `cargo test -p cancel-task`, or `cargo xtask watch`.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

mod given;
pub use given::{Event, Journal, Outcome};

// TODO: a cleanup guard: a small struct holding a `Journal` whose `Drop`
// records `Event::CleanedUp`. It is the Rust spelling of `finally`.

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
    // TODO: create the cleanup guard first, then run the steps, checking
    // `stop` before each one. Do not write the cleanup as code after the loop.
    let _ = (journal, stop);
    todo!("run {steps} steps of {step_time:?}, with a cleanup that always runs")
}

/// A running worker: its task handle and its polite stop signal.
#[derive(Debug)]
pub struct Worker {
    handle: JoinHandle<u32>,
    stop: CancellationToken,
}

/// Spawns [`work`] as a task and returns its [`Worker`] handle at once.
pub fn spawn_worker(journal: Journal, steps: u32, step_time: Duration) -> Worker {
    // TODO: make a token, spawn `work` with a clone of it, keep the handle.
    let _ = journal;
    todo!("spawn a worker of {steps} steps of {step_time:?}")
}

impl Worker {
    /// Cancels the worker abruptly, like Python's `task.cancel()`.
    ///
    /// Returns at once. The worker's future is dropped the next time its task
    /// would run, that is at the `.await` it is parked on; its cleanup runs
    /// then. Cancelling a worker that already finished changes nothing.
    pub fn cancel(&self) {
        // TODO: abort the task.
        let _ = &self.handle;
        todo!("cancel the worker")
    }

    /// Asks the worker to stop after the step in progress. Returns at once.
    pub fn stop(&self) {
        // TODO: cancel the token the worker checks between steps.
        let _ = &self.stop;
        todo!("ask the worker to stop")
    }

    /// Waits for the worker to end and says how it ended.
    ///
    /// # Panics
    /// If the worker panicked: the panic is re-raised here, not hidden.
    pub async fn outcome(self) -> Outcome {
        // TODO: await the handle; tell a cancelled task (`JoinError::is_cancelled`)
        // from a panicked one (re-raise it with `std::panic::resume_unwind`).
        todo!("wait for {:?} and report how it ended", self.handle)
    }
}
