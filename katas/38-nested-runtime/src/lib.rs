//! Kata 38: run a future from synchronous code, wherever that code runs.
//!
//! Synchronous code (a library callback, a `Drop`, a trait you cannot make
//! async) sometimes needs the result of a future. `Runtime::block_on` does
//! that from plain code, but panics when the thread already runs a runtime:
//! "Cannot start a runtime from within a runtime", the Rust twin of Python's
//! "asyncio.run() cannot be called from a running event loop". Write
//! [`block_on`], a helper that works in each of the three places sync code
//! can find itself, or says why it cannot:
//!
//! * no runtime: run the future on a runtime made for the call;
//! * a multi-thread runtime: run it on that runtime, without stalling the
//!   tasks of the worker thread it is called on;
//! * a current-thread runtime: refuse, with
//!   [`BlockOnError::CurrentThreadRuntime`], and never panic.
//!
//! [`BlockOnError`] is given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p nested-runtime`, or `cargo xtask watch`.

mod given;
pub use given::BlockOnError;

use std::future::Future;

/// Runs `future` to completion from synchronous code and returns its output.
///
/// * **No runtime** on this thread: builds a current-thread runtime for the
///   call (timers and I/O enabled), runs the future on it, and drops it
///   before returning, so tasks the future left running are dropped, as
///   `asyncio.run` cancels them.
/// * **A multi-thread runtime**: runs the future on that runtime. Tasks it
///   spawns belong to it (and outlive the call), and the other tasks of the
///   worker thread it is called on keep running meanwhile. Calls may nest
///   (sync code calling async code calling sync code…).
/// * **A current-thread runtime** (also on its `spawn_blocking` threads):
///   returns [`BlockOnError::CurrentThreadRuntime`] at once, without running
///   the future.
///
/// # Errors
/// [`BlockOnError::CurrentThreadRuntime`] as above;
/// [`BlockOnError::Build`] if no runtime was running and none could be built.
///
/// # Panics
/// Only if the future itself panics: the panic goes on to the caller.
pub fn block_on<F: Future>(future: F) -> Result<F::Output, BlockOnError> {
    // TODO: ask tokio which runtime, if any, this thread runs in
    // (`Handle::try_current`, then its `runtime_flavor`), and handle the
    // three cases.
    let _future = future;
    todo!("run a future to completion from sync code, wherever it is called")
}
