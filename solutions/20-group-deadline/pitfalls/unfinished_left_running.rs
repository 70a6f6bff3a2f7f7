//! Pitfall: reporting the unfinished jobs but leaving them running.
//!
//! Each job is spawned and its `JoinHandle` awaited up to the deadline. The
//! results and names are right, but dropping a `JoinHandle` *detaches* its
//! task; it does not cancel it. The "unfinished" jobs go on working (and
//! holding their connections, locks, memory) after the caller was told they
//! were abandoned.
//!
//! Caught by: unfinished_jobs_are_cancelled_at_the_deadline, when_nothing_finishes_every_job_is_named

#[path = "../src/lib.rs"]
mod given;
pub use given::Report;

use std::time::Duration;

use tokio::time::{Instant, timeout_at};

pub async fn run_with_deadline<T, F>(jobs: Vec<(String, F)>, limit: Duration) -> Report<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let deadline = Instant::now() + limit;
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|(name, job)| (name, tokio::spawn(job)))
        .collect();
    let mut report = Report {
        finished: Vec::new(),
        unfinished: Vec::new(),
    };
    for (name, handle) in handles {
        match timeout_at(deadline, handle).await {
            Ok(joined) => report.finished.push((name, joined.unwrap())),
            // The handle is dropped here: the task is detached, not stopped.
            Err(_elapsed) => report.unfinished.push(name),
        }
    }
    report
}
