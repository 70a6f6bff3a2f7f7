//! Pitfall: spawning inside an `async fn`.
//!
//! `tokio::spawn` does start a task at once, but here it is written inside the
//! body of an `async fn`, and that body only runs when the returned future is
//! first polled. So the job starts at the caller's `.await`, not at the call,
//! and a caller that drops the future never starts it at all.
//!
//! Caught by: the_eager_job_starts_before_it_is_awaited, the_eager_job_finishes_while_nobody_awaits_it, an_eager_job_dropped_unawaited_still_finishes, eager_jobs_overlap_even_when_awaited_in_turn

#[path = "../src/lib.rs"]
mod given;
pub use given::{Journal, job, lazy_job};

use std::time::Duration;

pub async fn eager_job(journal: Journal, name: &'static str, took: Duration) -> String {
    tokio::spawn(job(journal, name, took))
        .await
        .expect("the job does not panic")
}
