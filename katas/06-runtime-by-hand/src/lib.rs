//! Kata 06: the runtime, built by hand.
//!
//! `#[tokio::main]` hides where the runtime comes from and where it goes.
//! Write [`run`], the Rust counterpart of Python's `asyncio.run`: build a
//! runtime with `tokio::runtime::Builder`, drive a future to completion on it,
//! and shut it down with a bounded wait, so that tasks left running are
//! dropped and a stuck blocking job cannot hold the program forever.
//!
//! Run the tests with `cargo test -p runtime-by-hand`, or `cargo xtask watch`.

use std::future::Future;
use std::time::Duration;

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
    // TODO: build the runtime `#[tokio::main]` would build (with timers and
    // I/O enabled), `block_on` the future, then shut the runtime down waiting
    // at most `shutdown_bound`, and return the output.
    let _future = future;
    todo!("build a runtime, run the future, shut down within {shutdown_bound:?}")
}
