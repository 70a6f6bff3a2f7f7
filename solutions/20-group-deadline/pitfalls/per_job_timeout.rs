//! Pitfall: giving each job the limit, one job after another.
//!
//! `timeout(limit, job).await` in a loop bounds each job, not the group:
//! with four jobs the group may run for four times the limit, and the jobs
//! do not even overlap.
//!
//! Caught by: the_deadline_covers_the_whole_group, it_returns_exactly_at_the_deadline, all_jobs_start_at_once

#[path = "../src/lib.rs"]
mod given;
pub use given::Report;

use std::time::Duration;

use tokio::time::timeout;

pub async fn run_with_deadline<T, F>(jobs: Vec<(String, F)>, limit: Duration) -> Report<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut report = Report {
        finished: Vec::new(),
        unfinished: Vec::new(),
    };
    for (name, job) in jobs {
        match timeout(limit, job).await {
            Ok(value) => report.finished.push((name, value)),
            Err(_elapsed) => report.unfinished.push(name),
        }
    }
    report
}
