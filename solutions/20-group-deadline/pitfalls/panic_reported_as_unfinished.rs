//! Pitfall: a job that panicked is reported as "unfinished".
//!
//! Skipping every `JoinError` looks tidy, but only the cancellations that we
//! caused ourselves are expected. A panic is a bug in a job; filing it under
//! "did not make the deadline" hides the bug and tells the caller to retry
//! something that will crash again. Pass the panic on with
//! `std::panic::resume_unwind(error.into_panic())`.
//!
//! Caught by: a_panicking_job_panics_the_caller

#[path = "../src/lib.rs"]
mod given;
pub use given::Report;

use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};

pub async fn run_with_deadline<T, F>(jobs: Vec<(String, F)>, limit: Duration) -> Report<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let deadline = Instant::now() + limit;
    let mut names = Vec::new();
    let mut results: Vec<Option<T>> = Vec::new();
    let mut set = JoinSet::new();
    for (index, (name, job)) in jobs.into_iter().enumerate() {
        names.push(name);
        results.push(None);
        set.spawn(async move { (index, job.await) });
    }
    while let Ok(Some(joined)) = timeout_at(deadline, set.join_next()).await {
        // The bug: a panicked job is dropped on the floor, and so left
        // `None`, as if it had run out of time.
        if let Ok((index, value)) = joined {
            results[index] = Some(value);
        }
    }
    set.abort_all();
    while let Some(joined) = set.join_next().await {
        if let Ok((index, value)) = joined {
            results[index] = Some(value);
        }
    }
    let mut report = Report {
        finished: Vec::new(),
        unfinished: Vec::new(),
    };
    for (name, result) in names.into_iter().zip(results) {
        match result {
            Some(value) => report.finished.push((name, value)),
            None => report.unfinished.push(name),
        }
    }
    report
}
