//! Pitfall: leaking the runtime instead of shutting it down.
//!
//! `std::mem::forget` (or a runtime kept in a `static`, or `Box::leak`) makes
//! `run` return at once, but the worker threads live on with every task still
//! alive on them: nothing is dropped, no cleanup runs, and a blocking job is
//! abandoned mid-way. Python's `asyncio.run` cancels leftover tasks and closes
//! the loop; this does neither.
//!
//! Caught by: background_tasks_left_running_are_dropped_at_shutdown, shutdown_lets_a_short_blocking_job_finish

use std::future::Future;
use std::time::Duration;

use tokio::runtime::Builder;

pub fn run<F: Future>(future: F, shutdown_bound: Duration) -> F::Output {
    let _ = shutdown_bound;
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    let output = runtime.block_on(future);
    std::mem::forget(runtime);
    output
}
