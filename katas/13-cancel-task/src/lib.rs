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
//! Run the tests with `cargo test -p cancel-task`, or `cargo xtask watch`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// One thing a worker did, in the order it happened.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Step `n` (counted from 1) began: its synchronous part ran.
    Begun(u32),
    /// Step `n` finished: its `.await` completed.
    Done(u32),
    /// The worker's cleanup ran (the Python `finally`).
    CleanedUp,
}

/// A shared, append-only log of [`Event`]s. Clones share the same log.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    // A std Mutex: it is locked only for a push or a clone, never across an
    // `.await`, and it can be locked from `Drop` (which cannot await).
    events: Arc<Mutex<Vec<Event>>>,
    /// For the tests: recording this event panics, standing in for a bug in
    /// the worker.
    fault: Option<Event>,
}

impl Journal {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty journal that panics when `event` is recorded (after recording
    /// it). It stands for a bug in the worker: the tests use it to check that
    /// a panic is not mistaken for a cancellation.
    ///
    /// # Panics
    /// If `event` is [`Event::CleanedUp`]: a panic in a drop guard while the
    /// worker is already unwinding would abort the whole process.
    pub fn failing_at(event: Event) -> Self {
        assert_ne!(event, Event::CleanedUp, "the cleanup must not panic");
        Self {
            fault: Some(event),
            ..Self::default()
        }
    }

    /// Appends one event.
    ///
    /// # Panics
    /// If this journal was made by [`Journal::failing_at`] with this event.
    pub fn record(&self, event: Event) {
        // The lock is released at the end of this statement, before the
        // panic below: the journal stays usable for the cleanup guard that
        // runs while the panic unwinds.
        self.events
            .lock()
            .expect("no one panics while holding the journal lock")
            .push(event);
        if self.fault == Some(event) {
            panic!("the worker failed at {event:?}");
        }
    }

    /// Every event so far, oldest first.
    pub fn events(&self) -> Vec<Event> {
        self.events
            .lock()
            .expect("no one panics while holding the journal lock")
            .clone()
    }
}

/// How a worker ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Outcome {
    /// The worker returned on its own after finishing `steps` steps: all of
    /// them, or fewer when it was asked to stop.
    Completed {
        /// How many steps were finished.
        steps: u32,
    },
    /// The worker was cancelled (aborted) before it returned.
    Cancelled,
}

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
