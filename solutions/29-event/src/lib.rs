//! Kata 29, reference solution: an event like Python's `asyncio.Event`.
//!
//! An event is a flag plus a way to sleep until the flag goes up. The flag is
//! the given [`Flag`]; the sleeping is `tokio::sync::Notify`, whose
//! `notify_waiters` wakes every task waiting at that moment and stores
//! nothing for later. "Stores nothing" is the whole difficulty: a waiter that
//! reads the flag (not set), and only *then* registers with the `Notify`,
//! misses a `set` that lands between the two, and sleeps forever although the
//! flag is up. With one thread that window never opens; on a multi-thread
//! runtime, `set` can run on another worker at any instant.
//!
//! The cure is the order: register first, check second, sleep third. A
//! `Notified` future counts as registered for `notify_waiters` from the
//! moment `notified()` creates it, polled or not. So [`Event::wait`] creates
//! it, then reads the flag, then awaits it: a `set` before the read is seen
//! by the read, and a `set` after the read wakes the future.
//!
//! Being woken means "`set` was called while you waited", and that is enough
//! to return: Python's `wait` returns then too, even if `clear` followed at
//! once. So `wait` does not read the flag again after it was woken.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/29-event/src/given.rs"]
mod given;
pub use given::{Flag, after_next_load, before_next_store};

use tokio::sync::Notify;

/// An event: a flag that tasks can wait for, like Python's `asyncio.Event`.
///
/// Share it between tasks behind an `Arc`; every method takes `&self`.
#[derive(Debug, Default)]
pub struct Event {
    /// Whether the event is set. Read it with `Flag::load`, write it with
    /// `Flag::store`.
    flag: Flag,
    /// Wakes the tasks that are waiting in [`Event::wait`].
    notify: Notify,
}

impl Event {
    /// An event that is not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the event: every task waiting now is released, and every later
    /// [`wait`](Event::wait) returns at once, until [`clear`](Event::clear).
    pub fn set(&self) {
        // The flag first: a waiter that registered before this call and reads
        // the flag after the store returns at once; one that read it before
        // the store is woken by the notification below.
        self.flag.store(true);
        // `notify_waiters`, not `notify_one`: it wakes *every* registered
        // waiter, and stores no permit. A stored permit (what `notify_one`
        // leaves when nobody waits) would release the first `wait` after a
        // later `clear`.
        self.notify.notify_waiters();
    }

    /// Clears the event: later calls to [`wait`](Event::wait) wait for the
    /// next [`set`](Event::set). Tasks already released stay released.
    pub fn clear(&self) {
        // Nobody needs waking: clearing only makes future waiters wait.
        self.flag.store(false);
    }

    /// Whether the event is set.
    pub fn is_set(&self) -> bool {
        self.flag.load()
    }

    /// Waits until the event is set: returns at once if it is set now,
    /// otherwise at the next [`set`](Event::set), even if a
    /// [`clear`](Event::clear) follows it at once.
    pub async fn wait(&self) {
        // Register *before* reading the flag. From this line on, any
        // `notify_waiters` call completes `notified`, even though it has not
        // been polled yet: a `set` cannot slip in between the read below and
        // the `.await`.
        let notified = self.notify.notified();
        if self.flag.load() {
            // Set already: `notified` is dropped unpolled, which is harmless.
            return;
        }
        // Not set when we looked, and registered since before we looked: the
        // next `set` wakes us. No loop and no second read: `Notify` never
        // wakes a waiter for nothing, and a `set` followed by a `clear` must
        // still release us.
        notified.await;
    }
}
