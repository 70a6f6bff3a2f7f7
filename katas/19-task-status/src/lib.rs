//! Kata 19: how do you know a task finished?
//!
//! A tokio `JoinHandle` can tell you `is_finished()` and hand the result to
//! whoever awaits it, and that is all. Build [`Task`], a handle like Python's
//! `asyncio.Task`: it reports whether the task is running, succeeded, failed
//! or was cancelled, and runs done callbacks exactly once, including those
//! added after the task has already ended.
//!
//! [`Status`], [`Outcome`] and [`panic_message`] are given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p task-status`, or `cargo xtask watch`.

mod given;
pub use given::{Outcome, Status, panic_message};

use std::marker::PhantomData;

/// A spawned task that can be asked how it is doing, like `asyncio.Task`.
///
/// Dropping the handle does not stop the task (as dropping a `JoinHandle`
/// does not): it runs on, and its done callbacks still run when it ends.
///
/// Keep it `Send` and `Sync`: the tests share one through an `Arc`.
pub struct Task<T> {
    // TODO: replace this placeholder with the state you need. One way: an
    // `Arc<std::sync::Mutex<…>>` holding the outcome (`None` while running)
    // and the callbacks still waiting for it (as
    // `Box<dyn FnOnce(&Outcome<T>) + Send>`), shared with a task that awaits
    // the work's `JoinHandle`; and the work's `tokio::task::AbortHandle`.
    _todo: PhantomData<T>,
}

impl<T: Clone + Send + 'static> Task<T> {
    /// Spawns `future` on the current tokio runtime and returns its handle.
    ///
    /// The task fails if the future returns `Err(message)` or panics.
    ///
    /// # Panics
    /// Outside a tokio runtime, like `tokio::spawn`.
    pub fn spawn<F>(future: F) -> Self
    where
        F: Future<Output = Result<T, String>> + Send + 'static,
    {
        // TODO: spawn the future; learn how it ended by awaiting its
        // JoinHandle (`Ok(Ok(v))`, `Ok(Err(e))`, a `JoinError` that is a
        // panic or a cancellation); then record the outcome and run the
        // callbacks added so far. Something must await that JoinHandle even
        // if nobody ever calls `wait`.
        drop(future);
        todo!("spawn the future and watch how it ends")
    }

    /// Where the task stands now.
    pub fn status(&self) -> Status {
        // TODO: `Running` until an outcome is recorded.
        todo!("report the status")
    }

    /// Python's `done()`: true once the task has ended in *any* way, by
    /// succeeding, failing or being cancelled.
    pub fn is_done(&self) -> bool {
        // TODO
        todo!("is the task done?")
    }

    /// Python's `cancelled()`: true once the task has stopped because it was
    /// cancelled (not merely asked to).
    pub fn is_cancelled(&self) -> bool {
        // TODO
        todo!("was the task cancelled?")
    }

    /// Python's `exception()`, without its exceptions: the failure's message
    /// if the task failed, `None` if it is running, succeeded or was cancelled.
    pub fn error(&self) -> Option<String> {
        // TODO
        todo!("the task's error, if it failed")
    }

    /// The outcome, or `None` while the task is running.
    pub fn outcome(&self) -> Option<Outcome<T>> {
        // TODO
        todo!("the task's outcome, if it has ended")
    }

    /// Python's `cancel()`: asks the task to stop and returns `true`, or
    /// returns `false` if it has already ended.
    ///
    /// Cancelling is a request. The task stops at its next `.await`, when
    /// tokio drops its future; only then is the status `Cancelled` and do the
    /// done callbacks run.
    pub fn cancel(&self) -> bool {
        // TODO: ask tokio to abort the work; do not record the outcome here.
        todo!("cancel the task")
    }

    /// Python's `add_done_callback`: `callback` runs exactly once with the
    /// outcome. If the task is still running, it runs when the task ends;
    /// if the task has already ended, it runs at once, before this returns.
    ///
    /// A callback may call this task's own methods: it runs with no lock of
    /// the task held.
    pub fn add_done_callback<C>(&self, callback: C)
    where
        C: FnOnce(&Outcome<T>) + Send + 'static,
    {
        // TODO: if the task is still running, keep the callback for later;
        // if it has ended, call it now. Decide both under the same lock, or
        // a callback added just as the task ends can be lost.
        let _ = callback;
        todo!("register or run the callback")
    }

    /// Waits until the task has ended and returns its outcome. Any number of
    /// callers may wait, before or after the end.
    pub async fn wait(&self) -> Outcome<T> {
        // TODO: a done callback that sends the outcome over a
        // `tokio::sync::oneshot` channel is one way.
        todo!("wait for the outcome")
    }
}
