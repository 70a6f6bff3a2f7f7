//! Pitfall: shutting down without waiting at all.
//!
//! `shutdown_background` never blocks: it is the same as a zero bound.
//! Blocking work that was about to finish (a file being written, a row being
//! committed) is abandoned, though the caller allowed it time to finish.
//!
//! Caught by: shutdown_lets_a_short_blocking_job_finish

use std::future::Future;
use std::time::Duration;

use tokio::runtime::Builder;

pub fn run<F: Future>(future: F, shutdown_bound: Duration) -> F::Output {
    let _ = shutdown_bound;
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    let output = runtime.block_on(future);
    runtime.shutdown_background();
    output
}
