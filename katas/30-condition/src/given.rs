//! The given part of kata 30: the [`Lock`] that guards the condition's
//! state, and the probe the tests use to act in the instant after a waiter
//! has checked its predicate and let go of the lock. You do not need to change
//! this file; the tests and the reference solution use it as it is.

use std::cell::RefCell;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A `std::sync::Mutex` with two extras.
///
/// * Right after a [`LockGuard`] is dropped (the lock is free again), it runs
///   the probe that [`after_next_unlock`] armed on this thread, if any. That
///   is how a test changes the state and notifies in the instant between a
///   waiter's check and its wait.
/// * Locking it again on a thread that holds it panics, with a message,
///   instead of deadlocking the thread (neither std's nor tokio's mutex is
///   reentrant: kata 26).
///
/// A panic while the lock is held does not poison it for the others.
pub struct Lock<T> {
    value: Mutex<T>,
    /// The id of the thread holding the lock, or 0.
    holder: AtomicUsize,
}

impl<T> Lock<T> {
    /// A lock around `value`.
    pub fn new(value: T) -> Self {
        Self {
            value: Mutex::new(value),
            holder: AtomicUsize::new(0),
        }
    }

    /// Waits (blocking the thread, briefly) until the lock is free, and takes
    /// it. Do not hold the guard across an `.await`.
    ///
    /// # Panics
    /// If this thread holds the lock already.
    pub fn lock(&self) -> LockGuard<'_, T> {
        let me = thread_number();
        assert_ne!(
            self.holder.load(Ordering::SeqCst),
            me,
            "this thread already holds the lock: locking it again would deadlock"
        );
        let guard = self.value.lock().unwrap_or_else(PoisonError::into_inner);
        self.holder.store(me, Ordering::SeqCst);
        LockGuard {
            guard: Some(guard),
            holder: &self.holder,
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Lock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Lock").field(&self.value).finish()
    }
}

/// Access to the value of a [`Lock`]; the lock is released when the guard is
/// dropped.
pub struct LockGuard<'a, T> {
    /// `Some` until the guard is dropped.
    guard: Option<MutexGuard<'a, T>>,
    holder: &'a AtomicUsize,
}

impl<T> Deref for LockGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.guard.as_ref().expect("a live guard holds the lock")
    }
}

impl<T> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.guard.as_mut().expect("a live guard holds the lock")
    }
}

impl<T: fmt::Debug> fmt::Debug for LockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LockGuard").field(&**self).finish()
    }
}

impl<T> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        self.holder.store(0, Ordering::SeqCst);
        // Release first: the probe runs with the lock free, as if another
        // thread had been waiting for it.
        drop(self.guard.take());
        // The probe is taken out before it runs, so that a probe that takes
        // and releases the lock itself does not run again.
        if let Some(probe) = PROBE.with(|slot| slot.borrow_mut().take()) {
            probe();
        }
    }
}

thread_local! {
    /// Run once, right after the next unlock on this thread.
    static PROBE: RefCell<Option<Box<dyn FnOnce()>>> = RefCell::new(None);
    /// This thread's number for [`Lock`]'s holder check (never 0).
    static THREAD_NUMBER: usize = {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        NEXT.fetch_add(1, Ordering::Relaxed)
    };
}

fn thread_number() -> usize {
    THREAD_NUMBER.with(|number| *number)
}

/// Arms `probe`: the next time a [`LockGuard`] is dropped on this thread, of
/// any lock, `probe` runs right after the lock is released, once. The tests
/// use it; your code does not need to.
pub fn after_next_unlock(probe: impl FnOnce() + 'static) {
    PROBE.with(|slot| *slot.borrow_mut() = Some(Box::new(probe)));
}
