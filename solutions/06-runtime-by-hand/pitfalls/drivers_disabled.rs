//! Pitfall: a runtime built without its drivers.
//!
//! `Builder::new_multi_thread().build()` gives a scheduler with no timer and
//! no I/O reactor: the first `sleep` panics ("timers are disabled"), and so
//! does the first socket. `#[tokio::main]` calls `enable_all()` for you.
//!
//! Caught by: timers_and_io_work_inside_run

use std::future::Future;
use std::time::Duration;

use tokio::runtime::Builder;

pub fn run<F: Future>(future: F, shutdown_bound: Duration) -> F::Output {
    let runtime = Builder::new_multi_thread().build().unwrap();
    let output = runtime.block_on(future);
    runtime.shutdown_timeout(shutdown_bound);
    output
}
