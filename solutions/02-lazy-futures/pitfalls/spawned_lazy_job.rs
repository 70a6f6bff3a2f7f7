//! Pitfall: a "lazy" job that is spawned at once.
//!
//! Spawning hands the job to the runtime, which runs it whether or not anyone
//! awaits the result. The caller asked for a future that does nothing until
//! awaited (and nothing at all if dropped); this one has side effects the
//! caller never asked for.
//!
//! Caught by: the_lazy_job_does_nothing_until_awaited, a_lazy_job_dropped_unpolled_never_runs, lazy_jobs_awaited_in_turn_run_in_turn

#[path = "../src/lib.rs"]
mod given;
pub use given::{Journal, eager_job, job};

use std::time::Duration;

pub fn lazy_job(
    journal: Journal,
    name: &'static str,
    took: Duration,
) -> impl Future<Output = String> + Send + 'static {
    let handle = tokio::spawn(job(journal, name, took));
    async move { handle.await.expect("the job does not panic") }
}
