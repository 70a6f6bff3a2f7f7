//! Kata 30, reference solution: a condition variable, like Python's
//! `asyncio.Condition` with `wait_for`.
//!
//! A condition is shared state behind a lock, plus a way to sleep until the
//! state is worth looking at again. A waiter checks its predicate under the
//! lock; when it does not hold, it lets go of the lock and sleeps until a
//! notification, then checks again: in a loop, because being woken only means
//! "something changed", never "your predicate holds". Another waiter may
//! have taken the item first, the change may not be the one it waits for, and
//! `notify_all` wakes everybody.
//!
//! The sleeping is a `tokio::sync::Notify`, and as in kata 29 the order of
//! the steps is what keeps wake-ups from getting lost. A notification can come
//! the instant the waiter lets go of the lock, before it sleeps; so the waiter
//! registers with the `Notify` *before* it takes the lock to check. Here
//! "registers" means more than creating the `Notified` future: that is enough
//! for `notify_waiters`, but `notify_one` only picks waiters that are in the
//! `Notify`'s queue, which `Notified::enable` puts it in. (With nobody in
//! the queue, `notify_one` stores a single permit: two of them in a row would
//! release one waiter, not two.)

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/30-condition/src/given.rs"]
mod given;
pub use given::{Lock, LockGuard, after_next_unlock};

use tokio::sync::Notify;

/// A condition variable over a state of type `T`, like Python's
/// `asyncio.Condition`: change the state under [`lock`](Condition::lock),
/// then [`notify_one`](Condition::notify_one) or
/// [`notify_all`](Condition::notify_all); wait with
/// [`wait_until`](Condition::wait_until).
///
/// Share it between tasks behind an `Arc`; every method takes `&self`.
#[derive(Debug)]
pub struct Condition<T> {
    /// The shared state. The guard is a std one: never hold it across an
    /// `.await`.
    state: Lock<T>,
    /// Wakes the tasks sleeping in [`Condition::wait_until`].
    notify: Notify,
}

impl<T> Condition<T> {
    /// A condition over `value`.
    pub fn new(value: T) -> Self {
        Self {
            state: Lock::new(value),
            notify: Notify::new(),
        }
    }

    /// Locks the state, to read it or change it. Notify after a change that
    /// a waiter may care about (holding the guard or not: both work).
    pub fn lock(&self) -> LockGuard<'_, T> {
        self.state.lock()
    }

    /// Waits until `predicate` holds for the state, and returns the guard it
    /// held: the state is still locked, so the caller can act on what the
    /// predicate saw (take the item it found) before anyone else changes it.
    ///
    /// Returns at once when the predicate holds now. Otherwise sleeps until a
    /// notification, checks again, and sleeps again while it does not hold;
    /// a notification that comes right after a check is not lost.
    pub async fn wait_until(&self, mut predicate: impl FnMut(&T) -> bool) -> LockGuard<'_, T> {
        loop {
            // Register before checking, so that a notification sent after
            // the check (even in the instant between releasing the lock and
            // sleeping) reaches this waiter. `enable` puts it in the queue
            // that `notify_one` takes from; `notified()` alone only counts
            // for `notify_waiters`.
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();

            // A std lock, taken and released with no `.await` in between. The
            // guard either leaves with the return value or is dropped at the
            // end of this block: the future never holds it across the
            // `.await` below (which keeps it `Send`).
            {
                let guard = self.state.lock();
                if predicate(&guard) {
                    // Returning drops `notified`. If it had been picked by a
                    // `notify_one`, tokio passes that notification on to the
                    // next waiter, so it is not lost either.
                    return guard;
                }
            }

            // Sleep until a notification; then loop and check again. Being
            // woken proves nothing about the predicate.
            notified.await;
        }
    }

    /// Wakes one waiting task (the longest waiting), which checks its
    /// predicate again. Does not touch the lock: call it with or without the
    /// guard.
    pub fn notify_one(&self) {
        // Taken from the front of the `Notify`'s queue: first come, first
        // woken. If that task is cancelled before it runs, tokio hands the
        // notification to the next waiter.
        self.notify.notify_one();
    }

    /// Wakes every waiting task; each checks its predicate again. Does not
    /// touch the lock: call it with or without the guard.
    pub fn notify_all(&self) {
        // `notify_waiters` wakes every registered waiter and stores nothing:
        // a task that registers later checks the state itself first.
        self.notify.notify_waiters();
    }
}
