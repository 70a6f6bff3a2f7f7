//! Kata 38, reference solution: run a future from synchronous code, wherever
//! that code runs.
//!
//! Blocking a thread until a future is done is only safe when something
//! *other than that thread* can drive the future and the tasks it waits for.
//! So the helper first asks tokio where it is (`Handle::try_current`, then
//! the runtime's flavor), and each answer has its own way out:
//!
//! * no runtime: nothing else needs this thread, so build a runtime for the
//!   call and block on it, as `asyncio.run` does;
//! * a multi-thread runtime: `block_in_place` tells the runtime that this
//!   worker is about to block, and it hands the worker's queue of tasks to
//!   a new thread; the current thread is then free to `Handle::block_on` the
//!   future, which runs on the very same runtime;
//! * a current-thread runtime: its one thread is this one. Whatever blocks
//!   it freezes the runtime, so there is no safe way: say so.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/38-nested-runtime/src/given.rs"]
mod given;
pub use given::BlockOnError;

use std::future::Future;

use tokio::runtime::{Builder, Handle, RuntimeFlavor};

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
    let Ok(handle) = Handle::try_current() else {
        // Plain sync code: no runtime is current on this thread, so this
        // thread may block, and the runtime it blocks on is ours alone. A
        // current-thread one is enough (this thread drives it), with both
        // drivers, as `#[tokio::main]` would have. It is dropped when this
        // function returns, and with it every task the future left behind.
        let runtime = Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(BlockOnError::Build)?;
        return Ok(runtime.block_on(future));
    };
    match handle.runtime_flavor() {
        // `Handle::block_on` alone would panic here ("Cannot start a runtime
        // from within a runtime"): this thread may be a worker, in the
        // middle of polling a task. `block_in_place` first moves the
        // worker's other tasks (and its role) to another thread, then runs
        // the closure here, where blocking harms nobody. Off a worker (a
        // `spawn_blocking` thread, or inside another `block_in_place`) it
        // simply runs the closure, which is why calls can nest.
        //
        // `Handle::block_on` then drives the future on this thread; the
        // future's timers, sockets and spawned tasks all belong to the
        // runtime the handle points to: the caller's.
        RuntimeFlavor::MultiThread => Ok(tokio::task::block_in_place(|| handle.block_on(future))),
        // One thread drives this runtime, and it may well be this one (tokio
        // cannot tell us whether it is: a `spawn_blocking` thread sees the
        // same handle). Blocking it would wait for work only it can do, and
        // `block_in_place` panics on this flavor. The future is dropped
        // unpolled; the error says what to do instead.
        //
        // (`RuntimeFlavor` is non-exhaustive: a future flavor is refused the
        // same way, since nothing is known about its threads.)
        _ => Err(BlockOnError::CurrentThreadRuntime),
    }
}
