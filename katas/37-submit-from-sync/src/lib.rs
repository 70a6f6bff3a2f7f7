//! Kata 37: submit work to a running runtime from plain threads.
//!
//! A program that is mostly synchronous (plain OS threads, a GUI, a C
//! callback) owns one tokio runtime and wants to run async code on it. Write
//! [`Submitter`], the Rust counterpart of Python's
//! `asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)`:
//!
//! * [`Submitter::run`]: run a future as a task of the runtime and block the
//!   calling thread (only it) until the answer comes;
//! * [`Submitter::run_timeout`]: the same, giving up after a limit, and then
//!   cancelling the task.
//!
//! Both return [`SubmitError::RuntimeGone`] at once once the runtime has been
//! shut down: no hang, no panic. [`SubmitError`] is given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p submit-from-sync`, or `cargo xtask watch`.

mod given;
pub use given::SubmitError;

use std::future::Future;
use std::time::Duration;

use tokio::runtime::Handle;

/// Runs futures on one runtime on behalf of plain (non-async) threads.
///
/// Cheap to clone: give each thread its own clone. Call its methods from
/// sync code, never from inside an async task (blocking a worker thread
/// stalls every task queued behind it).
#[derive(Debug, Clone)]
pub struct Submitter {
    /// The runtime to run on. A `Handle` is a cheap, `Send` reference to a
    /// runtime; it stays valid (and says so) after the runtime shut down.
    handle: Handle,
}

impl Submitter {
    /// A submitter for the runtime of `handle` (`runtime.handle().clone()`).
    pub fn new(handle: Handle) -> Self {
        Self { handle }
    }

    /// Runs `future` as a task of the runtime (on its worker threads, not on
    /// the calling thread) and blocks the calling thread until it finishes.
    ///
    /// Tasks the future spawns belong to the runtime, and keep running after
    /// the answer came back. On a current-thread runtime, the future runs only
    /// while some thread drives the runtime (is inside `Runtime::block_on`);
    /// `run` waits without a limit, so prefer [`run_timeout`](Submitter::run_timeout)
    /// when you cannot be sure it does.
    ///
    /// # Errors
    /// [`SubmitError::RuntimeGone`] at once if the runtime has been shut down,
    /// or as soon as it shuts down while the future runs;
    /// [`SubmitError::Panicked`] if the future panicked.
    pub fn run<F>(&self, future: F) -> Result<F::Output, SubmitError>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // TODO: spawn the future on the runtime, then block this thread until
        // the task ends, and turn how it ended into the answer.
        let _future = future;
        todo!("run a future on {:?} and wait for it", self.handle)
    }

    /// Like [`run`](Submitter::run), but waits at most `limit` (real time).
    ///
    /// The limit holds whatever state the runtime is in: running, shut down,
    /// or a current-thread runtime that no thread drives (where the future
    /// never runs, and no timer of the runtime's would ever fire).
    ///
    /// # Errors
    /// As [`run`](Submitter::run), and [`SubmitError::TimedOut`] when the
    /// limit passes first: the task is then cancelled (dropped at its current
    /// `.await`), not left running for nobody.
    pub fn run_timeout<F>(&self, future: F, limit: Duration) -> Result<F::Output, SubmitError>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // TODO: spawn a task that sends the output to a channel this thread
        // can wait on with a time limit (the runtime's timer may be gone);
        // on a time-out, cancel the task.
        let _future = future;
        todo!("run a future on {:?} for at most {limit:?}", self.handle)
    }
}
