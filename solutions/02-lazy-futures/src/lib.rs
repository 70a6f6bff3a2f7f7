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

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A shared log of what the jobs did, in the order they did it.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    // `Arc` because the journal is shared by the test and by every job, some
    // of which run in spawned tasks; a std `Mutex` because the guard is never
    // held across an `.await`.
    entries: Arc<Mutex<Vec<String>>>,
}

impl Journal {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one entry.
    pub fn record(&self, entry: impl Into<String>) {
        self.entries
            .lock()
            .expect("no one panics while holding the journal")
            .push(entry.into());
    }

    /// Everything recorded so far, oldest first.
    pub fn entries(&self) -> Vec<String> {
        self.entries
            .lock()
            .expect("no one panics while holding the journal")
            .clone()
    }
}

/// A simulated piece of I/O: records `"<name> started"`, waits `took`,
/// records `"<name> finished"`, and returns `"<name> report"`.
///
/// This part is given: you do not need to change it.
pub async fn job(journal: Journal, name: &'static str, took: Duration) -> String {
    journal.record(format!("{name} started"));
    tokio::time::sleep(took).await;
    journal.record(format!("{name} finished"));
    format!("{name} report")
}

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
