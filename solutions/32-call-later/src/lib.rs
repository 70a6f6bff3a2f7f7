//! Kata 32, reference solution: `loop.call_later` and `loop.call_at`.
//!
//! A [`Scheduler`] runs callbacks at given instants of tokio's clock, like
//! asyncio's `call_later` / `call_at`, and hands out a [`TimerHandle`] that
//! can cancel one. The design:
//!
//! * **One task for all timers.** The timers wait in a `BTreeMap` keyed by
//!   `(deadline, sequence number)`; one driver task sleeps until the first
//!   key, runs the callbacks that are due, and sleeps again. Ten thousand
//!   timers cost ten thousand map entries and one task, not ten thousand tasks
//!   with a tokio timer each.
//! * **FIFO for equal deadlines.** The sequence number counts calls, so
//!   timers due at the same instant run in the order they were set. Neither
//!   asyncio (a heap compares deadlines only) nor `tokio_util`'s `DelayQueue`
//!   (a timer wheel: timers set at different times for one instant came out
//!   last-in-first-out) promises that.
//! * **Cancelling removes.** `cancel` takes the entry out of the map under the
//!   lock, so the callback (and whatever it captured) is dropped at once, and
//!   the driver, which takes each entry out under the same lock before running
//!   it, can never run it afterwards. Whoever removes the entry first wins:
//!   the callback runs, or `cancel` returns `true`, never both.
//!
//! Why not `DelayQueue`? It is built for this job (a hashed timer wheel, O(1)
//! insert and remove) and is the better choice for millions of timeouts that
//! are mostly cancelled. Here it would need a sequence number and a sort of
//! every batch of expired entries to get FIFO, plus a channel to reach the
//! queue inside the driver task; a `BTreeMap` under a std mutex gives order,
//! O(log n) insert and cancel, and synchronous cancellation for less code.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/32-call-later/src/given.rs"]
mod given;

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A callback to run once, on the scheduler's task.
type Callback = Box<dyn FnOnce() + Send>;

/// Where a timer sits in the queue: its deadline, then the order it was set.
type Key = (Instant, u64);

/// What the scheduler, its driver task and the timer handles share.
struct Shared {
    /// A std Mutex: every critical section is a few map operations, never an
    /// `.await`, and `cancel` (a plain fn) needs it too.
    timers: Mutex<Timers>,
    /// Tells the driver that the earliest deadline changed. It has a single
    /// waiter, so `notify_one`'s stored permit is what we want: a call made
    /// while the driver is busy is seen by its next wait.
    earlier: Notify,
}

struct Timers {
    queue: BTreeMap<Key, Callback>,
    /// The sequence number of the next timer: ties on the deadline go to the
    /// one set first.
    next_seq: u64,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Timers> {
        // A panicking callback runs with the lock released, so a poisoned
        // lock can only come from a bug in this file; the map is still
        // consistent after any of its operations, so go on with it.
        self.timers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs callbacks at instants of tokio's clock, like asyncio's
/// `loop.call_later` and `loop.call_at`, on one task of its own.
///
/// Dropping the scheduler cancels every timer still pending.
pub struct Scheduler {
    shared: Arc<Shared>,
    driver: JoinHandle<()>,
}

/// A timer set by [`Scheduler::call_later`] or [`Scheduler::call_at`].
///
/// Dropping the handle does not cancel the timer (as in Python).
#[derive(Debug)]
pub struct TimerHandle {
    key: Key,
    /// Weak: a handle kept after its scheduler was dropped must not keep the
    /// queue (and every callback in it) alive.
    shared: Weak<Shared>,
}

impl Scheduler {
    /// A scheduler with no timers, and its driver task.
    ///
    /// # Panics
    /// Outside a tokio runtime (it spawns its task there).
    pub fn new() -> Self {
        let shared = Arc::new(Shared {
            timers: Mutex::new(Timers {
                queue: BTreeMap::new(),
                next_seq: 0,
            }),
            earlier: Notify::new(),
        });
        // The driver owns an `Arc` to the queue; the scheduler keeps its
        // handle so that dropping the scheduler can stop it.
        let driver = tokio::spawn(drive(Arc::clone(&shared)));
        Self { shared, driver }
    }

    /// Runs `callback` once, `delay` from now (a zero delay: as soon as
    /// possible, never inside this call).
    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + Send + 'static,
    ) -> TimerHandle {
        self.call_at(Instant::now() + delay, callback)
    }

    /// Runs `callback` once at the instant `when` (an instant already past:
    /// as soon as possible, never inside this call). Callbacks due at the
    /// same instant run in the order they were set.
    pub fn call_at(&self, when: Instant, callback: impl FnOnce() + Send + 'static) -> TimerHandle {
        let (key, first) = {
            let mut timers = self.shared.lock();
            let key = (when, timers.next_seq);
            timers.next_seq += 1;
            timers.queue.insert(key, Box::new(callback));
            let first = timers.queue.first_key_value().map(|(k, _)| *k) == Some(key);
            (key, first)
        };
        if first {
            // The driver may be asleep until a later deadline: wake it so it
            // sleeps until this one instead. Later timers need no wake-up.
            self.shared.earlier.notify_one();
        }
        TimerHandle {
            key,
            shared: Arc::downgrade(&self.shared),
        }
    }

    /// How many timers are set and have neither run nor been cancelled.
    pub fn pending(&self) -> usize {
        self.shared.lock().queue.len()
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        // Stop the driver at its next `.await`, and drop every pending
        // callback now (not whenever the aborted task gets dropped), so that
        // what they captured is released when the scheduler goes.
        self.driver.abort();
        let pending = std::mem::take(&mut self.shared.lock().queue);
        // Dropped outside the lock: a callback's captures may run any code
        // when dropped, including a `cancel` on this scheduler.
        drop(pending);
    }
}

impl TimerHandle {
    /// The instant the callback is (or was) due.
    pub fn when(&self) -> Instant {
        self.key.0
    }

    /// Cancels the timer: returns `true` if the callback had not started and
    /// now never will (it is dropped at once); `false` if it has already run
    /// or started, was cancelled before, or its scheduler is gone.
    pub fn cancel(&self) -> bool {
        let Some(shared) = self.shared.upgrade() else {
            return false;
        };
        let removed = shared.lock().queue.remove(&self.key);
        // `removed` (the callback) is dropped here, after the lock.
        removed.is_some()
    }
}

/// The driver task: sleeps until the first deadline, runs what is due, and
/// does it again, forever (until the scheduler aborts it).
async fn drive(shared: Arc<Shared>) {
    loop {
        // Register for "an earlier timer was set" before looking at the
        // queue, so that a `call_at` between the look and the sleep is not
        // missed (and `notify_one`'s permit covers it anyway).
        let earlier = shared.earlier.notified();
        tokio::pin!(earlier);
        earlier.as_mut().enable();

        // Take the first timer out if it is due, under the lock; otherwise
        // learn how long to sleep. The lock is released at the end of the
        // statement: callbacks run without it, so they may set and cancel
        // timers themselves.
        let next = {
            let mut timers = shared.lock();
            match timers.queue.first_entry() {
                Some(first) if first.key().0 <= Instant::now() => Next::Run(first.remove()),
                Some(first) => Next::SleepUntil(first.key().0),
                None => Next::WaitForATimer,
            }
        };

        match next {
            Next::Run(callback) => {
                // A panicking callback must not take the scheduler down with
                // it (asyncio logs the exception and goes on); the panic
                // hook has already printed the message.
                let _ = std::panic::catch_unwind(AssertUnwindSafe(callback));
                // Thousands of callbacks due at once would otherwise run
                // without a break: let the other tasks on this thread in once
                // tokio's cooperative budget is spent (kata 31).
                tokio::task::coop::consume_budget().await;
            }
            Next::SleepUntil(when) => {
                // `select!` drops the branch that did not finish: either the
                // deadline came, or an earlier timer was set; loop and look
                // at the queue again in both cases.
                tokio::select! {
                    () = tokio::time::sleep_until(when) => {}
                    () = &mut earlier => {}
                }
            }
            Next::WaitForATimer => earlier.await,
        }
    }
}

/// What the driver does next.
enum Next {
    /// Run this callback, which was due and is out of the queue.
    Run(Callback),
    /// Nothing is due: sleep until the first deadline.
    SleepUntil(Instant),
    /// The queue is empty: wait until a timer is set.
    WaitForATimer,
}
