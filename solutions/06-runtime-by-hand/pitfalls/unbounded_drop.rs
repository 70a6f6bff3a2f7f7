//! Pitfall: shutting down by dropping the runtime, which waits forever.
//!
//! This is exactly what `#[tokio::main]` does at the end of `main`. Dropping a
//! runtime drops its async tasks, but waits for every running `spawn_blocking`
//! job without limit, and a blocking job cannot be cancelled from outside. One
//! stuck job (a read from stdin, a hung driver call) and the program never
//! exits.
//!
//! Caught by: shutdown_never_waits_longer_than_its_bound

use std::future::Future;
use std::time::Duration;

use tokio::runtime::Builder;

pub fn run<F: Future>(future: F, shutdown_bound: Duration) -> F::Output {
    let _ = shutdown_bound;
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    let output = runtime.block_on(future);
    drop(runtime);
    output
}
