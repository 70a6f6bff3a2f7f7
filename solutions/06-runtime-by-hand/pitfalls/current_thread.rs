//! Pitfall: the current-thread runtime where `#[tokio::main]`'s is asked for.
//!
//! `#[tokio::main]` builds the multi-thread runtime; the current-thread one is
//! what `#[tokio::test]` builds (and `#[tokio::main(flavor = "current_thread")]`
//! asks for). On it, every task shares the one thread that called `block_on`,
//! and `block_in_place` panics.
//!
//! Caught by: run_builds_a_multi_thread_runtime

use std::future::Future;
use std::time::Duration;

use tokio::runtime::Builder;

pub fn run<F: Future>(future: F, shutdown_bound: Duration) -> F::Output {
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let output = runtime.block_on(future);
    runtime.shutdown_timeout(shutdown_bound);
    output
}
