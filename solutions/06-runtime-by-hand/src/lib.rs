//! Kata 06, reference solution: the runtime, built by hand.
//!
//! `#[tokio::main]` hides three steps: build a runtime, `block_on` the body
//! of `main`, drop the runtime. [`run`] does the same three steps in the open,
//! like Python's `asyncio.run`, and makes the last one explicit: the runtime
//! is shut down with a *bounded* wait.
//!
//! Shutdown is where the work left behind is decided:
//!
//! - async tasks still running are dropped, at whatever `.await` they are
//!   parked on, so their destructors (drop guards) run; no async cleanup runs;
//! - `spawn_blocking` jobs cannot be interrupted: a thread cannot be cancelled
//!   from outside. A plain drop of the runtime waits for them *forever*;
//!   `shutdown_timeout` waits at most the bound, then leaves them behind.

use std::future::Future;
use std::time::Duration;

use tokio::runtime::Builder;

/// Runs `future` to completion on a new multi-thread runtime (the one
/// `#[tokio::main]` builds), then shuts the runtime down and returns the
/// future's output.
///
/// At shutdown, tasks still running are dropped, and blocking jobs still
/// running get at most `shutdown_bound` to finish: `run` never waits longer
/// than that for them.
///
/// # Panics
/// If the runtime cannot be built, or when called from inside a runtime.
pub fn run<F: Future>(future: F, shutdown_bound: Duration) -> F::Output {
    // What `#[tokio::main]` writes for us: a multi-thread scheduler (one
    // worker per CPU core) with every driver turned on. Without
    // `enable_all()` (or `enable_time()` and `enable_io()`), the first
    // `sleep` or socket in the future panics: the runtime would have no
    // timer wheel and no I/O reactor.
    let runtime = Builder::new_multi_thread()
        .enable_all()
        .build()
        // Building fails only if the OS refuses resources (threads, an
        // epoll instance); there is nothing sensible to run without them.
        .expect("failed to build the tokio runtime");

    // `block_on` runs the future on *this* thread, driving it until it is
    // ready; the worker threads run whatever it spawns. Like the body of
    // `#[tokio::main]`, the future is not a task: it needs no `Send`.
    let output = runtime.block_on(future);

    // The end of `asyncio.run`, made explicit. Tasks still running are
    // dropped now (their guards run); blocking jobs get at most
    // `shutdown_bound`. A plain `drop(runtime)` would wait for a stuck
    // blocking job without limit, and `std::mem::forget(runtime)` would
    // leak the worker threads with every task still alive on them.
    runtime.shutdown_timeout(shutdown_bound);

    output
}
