//! Pitfall: an "eager" job that is as lazy as any other future.
//!
//! Returning the job's future as it is means that nothing runs until the
//! caller awaits it. That is Python's forgotten-`await` bug turned around:
//! the caller thinks the work is under way, and it has not started.
//!
//! Caught by: the_eager_job_starts_before_it_is_awaited, the_eager_job_finishes_while_nobody_awaits_it, an_eager_job_dropped_unawaited_still_finishes, eager_jobs_overlap_even_when_awaited_in_turn

#[path = "../src/lib.rs"]
mod given;
pub use given::{Journal, job, lazy_job};

use std::time::Duration;

pub fn eager_job(
    journal: Journal,
    name: &'static str,
    took: Duration,
) -> impl Future<Output = String> + Send + 'static {
    job(journal, name, took)
}
