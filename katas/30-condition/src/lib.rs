//! Kata 30: a condition variable, like Python's `asyncio.Condition`.
//!
//! Write [`Condition::wait_until`], [`Condition::notify_one`] and
//! [`Condition::notify_all`]. The fields are chosen for you: the state sits in
//! the given [`Lock`] (in `src/given.rs`, a std mutex the tests can probe),
//! and a `tokio::sync::Notify` wakes the waiters. `new` and `lock` are
//! written.
//!
//! Run the tests with `cargo test -p condition`, or `cargo xtask watch`.

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
        // TODO: check the predicate under the lock; while it does not hold,
        // sleep until a notification and check again. A notification may come
        // the instant after you let go of the lock: be registered by then.
        let _ = &mut predicate;
        todo!("wait until the predicate holds, through {:?}", self.notify)
    }

    /// Wakes one waiting task (the longest waiting), which checks its
    /// predicate again. Does not touch the lock: call it with or without the
    /// guard.
    pub fn notify_one(&self) {
        // TODO: wake the first waiter in line.
        todo!("wake one waiter of {:?}", self.notify)
    }

    /// Wakes every waiting task; each checks its predicate again. Does not
    /// touch the lock: call it with or without the guard.
    pub fn notify_all(&self) {
        // TODO: wake every waiter.
        todo!("wake every waiter of {:?}", self.notify)
    }
}
