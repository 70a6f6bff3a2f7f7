//! Kata 02, reference solution: lazy futures.
//!
//! Calling an `async fn` runs none of its body: it only builds a future, a
//! paused computation. The body runs when someone polls that future, which is
//! what `.await` does. So a future that is never awaited never runs, and a
//! future that is dropped unpolled leaves no trace. That is the Rust answer to
//! "what happens if you forget `await`": nothing at all happens.
//!
//! To start work *now*, as Python's `asyncio.create_task` does, the future has
//! to be handed to the runtime, which polls it on its own: `tokio::spawn`.
//! [`eager_job`] spawns before it returns; [`lazy_job`] returns the future
//! untouched. Both give back a future of the job's report, so the caller
//! cannot tell them apart by type, only by *when* the work happens.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/02-lazy-futures/src/given.rs"]
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
    // This is a plain `fn`, not an `async fn`, on purpose: the body of an
    // `async fn` only runs when its future is polled, so a `spawn` written
    // inside one would itself wait for the caller's `.await`. Here the spawn
    // happens during the call. From now on the runtime owns the task and
    // polls it whenever it can, whatever the caller does with what we return.
    let handle = tokio::spawn(job(journal, name, took));

    // What we return only *waits* for the task. Dropping it drops the
    // `JoinHandle`, which detaches the task: it still runs to the end.
    async move {
        match handle.await {
            Ok(report) => report,
            // A panic in the job is the caller's panic too: re-raise it here
            // rather than hide it inside a `JoinError`.
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            // Nobody can abort the task (we never hand out its handle), so
            // this only happens when the runtime itself is shutting down.
            Err(error) => panic!("the job {name:?} was cancelled: {error}"),
        }
    }
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
    // Calling `job` runs none of its body: it moves the arguments into a new
    // future and returns it. Not one line of the job runs before the caller
    // polls, and if the caller drops the future instead, nothing ever does.
    job(journal, name, took)
}
