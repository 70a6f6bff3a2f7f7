//! Kata 02: lazy futures.
//!
//! A [`job`] stands in for some I/O and writes into a [`Journal`] when it
//! starts and when it finishes. Write two ways of starting it that differ only
//! in *when* the work happens:
//!
//! - [`eager_job`] starts the job at once, like Python's `asyncio.create_task`;
//! - [`lazy_job`] does nothing until its future is awaited, like a coroutine
//!   object, and nothing at all if it is dropped.
//!
//! The [`Journal`] and the [`job`] are given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p lazy-futures`, or `cargo xtask watch`.

mod given;
pub use given::{Journal, job};

use std::future::Future;
use std::time::Duration;

/// Starts the job at once, like `asyncio.create_task`, and returns a future of
/// its report.
///
/// The job runs whether or not the returned future is ever awaited; dropping
/// the returned future does not stop it.
///
/// # Panics
/// Outside a tokio runtime (there is nothing to start the job on).
pub fn eager_job(
    journal: Journal,
    name: &'static str,
    took: Duration,
) -> impl Future<Output = String> + Send + 'static {
    // TODO: hand `job(journal, name, took)` to the runtime *now*, during this
    // call, then return a future that waits for its report.
    // (The `as` below only gives the placeholder a future type so that the
    // skeleton compiles: replace the whole line.)
    let _ = journal;
    todo!("start the job {name:?} ({took:?}) at once") as std::future::Ready<String>
}

/// Returns a future of the job's report that does nothing until it is
/// awaited, like calling an `async def` in Python without awaiting it.
///
/// Dropped without being awaited, the job never runs at all.
pub fn lazy_job(
    journal: Journal,
    name: &'static str,
    took: Duration,
) -> impl Future<Output = String> + Send + 'static {
    // TODO: return a future that runs `job(journal, name, took)` only when
    // it is polled.
    let _ = journal;
    todo!("a future of the job {name:?} ({took:?}) that waits to be awaited")
        as std::future::Ready<String>
}
