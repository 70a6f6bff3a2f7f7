//! The given part of kata 13: the worker's [`Event`]s, the shared [`Journal`]
//! they are recorded in, and the [`Outcome`] a worker ends with. You do not
//! need to change this file; the tests and the reference solution use it as it
//! is.

use std::sync::{Arc, Mutex};

/// One thing a worker did, in the order it happened.
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
