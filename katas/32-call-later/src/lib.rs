//! Kata 32: `loop.call_later` and `loop.call_at`.
//!
//! Write a [`Scheduler`] that runs callbacks at instants of tokio's clock, and
//! the [`TimerHandle`] it returns, which can cancel its timer. Timers due at
//! the same instant run in the order they were set; a cancelled timer never
//! runs; ten thousand timers must stay cheap (one task for all of them, not
//! one task each). The fields of both types are yours to choose. The
//! `Default` impl of `Scheduler` is given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p call-later`, or `cargo xtask watch`.

mod given;

use std::time::Duration;

use tokio::time::Instant;

/// Runs callbacks at instants of tokio's clock, like asyncio's
/// `loop.call_later` and `loop.call_at`, on one task of its own.
///
/// Dropping the scheduler cancels every timer still pending.
pub struct Scheduler {
    // TODO: the timers waiting to run, and the task that runs them.
}

/// A timer set by [`Scheduler::call_later`] or [`Scheduler::call_at`].
///
/// Dropping the handle does not cancel the timer (as in Python).
#[derive(Debug)]
pub struct TimerHandle {
    // TODO: what `when` and `cancel` need to find the timer again.
}

impl Scheduler {
    /// A scheduler with no timers, and its driver task.
    ///
    /// # Panics
    /// Outside a tokio runtime (it spawns its task there).
    pub fn new() -> Self {
        // TODO: the (empty) timers, and a spawned task that runs each
        // callback when it is due.
        todo!("start a scheduler")
    }

    /// Runs `callback` once, `delay` from now (a zero delay: as soon as
    /// possible, never inside this call).
    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + Send + 'static,
    ) -> TimerHandle {
        // TODO: a deadline `delay` from now.
        let _callback = callback;
        todo!("run a callback in {delay:?}")
    }

    /// Runs `callback` once at the instant `when` (an instant already past:
    /// as soon as possible, never inside this call). Callbacks due at the
    /// same instant run in the order they were set.
    pub fn call_at(&self, when: Instant, callback: impl FnOnce() + Send + 'static) -> TimerHandle {
        // TODO: queue the callback under its deadline (ties: first set, first
        // run), and make sure the driver does not sleep past it.
        let _callback = callback;
        todo!("run a callback at {when:?}")
    }

    /// How many timers are set and have neither run nor been cancelled.
    pub fn pending(&self) -> usize {
        // TODO: count the timers still waiting.
        todo!("count the pending timers")
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        // TODO: stop the driver task, and drop every pending callback now.
    }
}

impl TimerHandle {
    /// The instant the callback is (or was) due.
    pub fn when(&self) -> Instant {
        // TODO: the deadline this timer was set for.
        todo!("the deadline of this timer")
    }

    /// Cancels the timer: returns `true` if the callback had not started and
    /// now never will (it is dropped at once); `false` if it has already run
    /// or started, was cancelled before, or its scheduler is gone.
    pub fn cancel(&self) -> bool {
        // TODO: take the timer out of the queue, if it is still there.
        todo!("cancel this timer")
    }
}
