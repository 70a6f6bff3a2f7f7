//! Kata 29: an event, like Python's `asyncio.Event`.
//!
//! Write the methods of [`Event`]: [`set`](Event::set),
//! [`clear`](Event::clear), [`is_set`](Event::is_set) and
//! [`wait`](Event::wait). Its two fields are chosen for you: the given
//! [`Flag`] (in `src/given.rs`) holds whether the event is set, and a
//! `tokio::sync::Notify` wakes the waiters. Using them in the right order is
//! the task: no waiter may miss a `set`, whenever it comes.
//!
//! Run the tests with `cargo test -p event`, or `cargo xtask watch`.

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
        // TODO: raise the flag, then wake every task that is waiting.
        todo!(
            "set {:?} and wake the waiters of {:?}",
            self.flag,
            self.notify
        )
    }

    /// Clears the event: later calls to [`wait`](Event::wait) wait for the
    /// next [`set`](Event::set). Tasks already released stay released.
    pub fn clear(&self) {
        // TODO: lower the flag.
        todo!("clear {:?}", self.flag)
    }

    /// Whether the event is set.
    pub fn is_set(&self) -> bool {
        // TODO: read the flag.
        todo!("read {:?}", self.flag)
    }

    /// Waits until the event is set: returns at once if it is set now,
    /// otherwise at the next [`set`](Event::set), even if a
    /// [`clear`](Event::clear) follows it at once.
    pub async fn wait(&self) {
        // TODO: return at once if the flag is up; otherwise sleep until the
        // next `set`. Mind the order: a `set` may come at any instant,
        // including the one right after you read the flag.
        todo!("wait for {:?} through {:?}", self.flag, self.notify)
    }
}
