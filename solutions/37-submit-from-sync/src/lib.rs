//! Kata 37, reference solution: submit work to a running runtime from plain
//! threads.
//!
//! A runtime is reached from outside through its [`Handle`]: a cheap, `Send`
//! reference that any thread may hold. `handle.spawn(future)` puts the future
//! on the runtime as a task, wherever the call comes from, and returns a
//! `JoinHandle`, which is itself a future: the plain thread then blocks on
//! that (and only on that) until the task ends. This is Python's
//! `run_coroutine_threadsafe(coro, loop)` (spawn) followed by
//! `.result(timeout)` (block).
//!
//! The `JoinHandle` also says how the task ended, which is what makes a
//! shut-down runtime an error and not a hang: a runtime that has been shut
//! down drops every task spawned on it at once, and a shutdown drops the
//! tasks in flight; either way the `JoinHandle` ends with a "cancelled"
//! `JoinError`. A panic ends it with a "panic" `JoinError`, and the runtime
//! carries on.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/37-submit-from-sync/src/given.rs"]
mod given;
pub use given::SubmitError;

use std::future::Future;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::task::JoinError;

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
        // `spawn`, not `block_on(future)`: the future must run *on the
        // runtime*, where its timers, sockets and the tasks it spawns live.
        // `handle.block_on(future)` would drive it on this thread instead,
        // and panic at its first timer once the runtime is shut down.
        let task = self.handle.spawn(future);
        // Blocking on the JoinHandle is safe even after a shutdown: a
        // JoinHandle needs no timer or I/O driver, only the task's wake-up,
        // and a task dropped by the shutdown wakes it with "cancelled".
        // (`Handle::block_on` also panics if called from inside a runtime,
        // where blocking would stall a worker: a loud error, not a deadlock.)
        self.handle.block_on(task).map_err(ended_without_answer)
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
        // The time limit is measured on this thread, with a std channel's
        // `recv_timeout`, and not with `tokio::time::timeout` under
        // `handle.block_on`: that timer belongs to the runtime. A
        // current-thread runtime that no thread is driving never fires it
        // (the wait would hang, like Python's `result()` on a stopped loop),
        // and a shut-down runtime refuses new timers with a panic. A std
        // channel also ends the wait on its own when the task is dropped:
        // its sender goes with it.
        //
        // An unbounded channel: the task sends once, and `send` never blocks
        // (a worker thread must not block).
        let (answer, answered) = mpsc::channel();
        let task = self.handle.spawn(async move {
            // Err only if this thread gave up already (a time-out): nobody
            // wants the output then, so it is dropped.
            let _ = answer.send(future.await);
        });
        match answered.recv_timeout(limit) {
            Ok(output) => Ok(output),
            Err(RecvTimeoutError::Timeout) => {
                // Dropping the JoinHandle would only detach the task, which
                // would run on for nobody (as a Python coroutine does after
                // `result(timeout)` gives up). `abort` cancels it: the
                // runtime drops it at its current `.await`.
                task.abort();
                Err(SubmitError::TimedOut)
            }
            // The sender was dropped without sending: the task ended without
            // an answer. The JoinHandle says why; it is about to complete (the
            // sender is dropped as the task ends), so blocking on it is brief.
            Err(RecvTimeoutError::Disconnected) => Err(match self.handle.block_on(task) {
                Err(error) => ended_without_answer(error),
                // A task that completed has sent its output, which the channel
                // would have handed over before reporting the disconnection.
                Ok(()) => unreachable!("a finished task has sent its answer"),
            }),
        }
    }
}

/// How a task that gave no answer ended: it panicked, or it was cancelled,
/// and nobody but a shutdown cancels a task these methods are waiting on
/// (`run_timeout` aborts its task only after it stopped waiting).
fn ended_without_answer(error: JoinError) -> SubmitError {
    if error.is_panic() {
        SubmitError::Panicked
    } else {
        SubmitError::RuntimeGone
    }
}
