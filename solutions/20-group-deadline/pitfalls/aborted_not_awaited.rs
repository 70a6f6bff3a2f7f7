//! Pitfall: aborting the unfinished jobs and returning without waiting.
//!
//! The loop and the report are right, and `abort_all()` (or dropping the
//! `JoinSet`) is called. But aborting only *asks*: each future is dropped
//! when tokio next gets to its task, after this function has returned. The
//! caller is told the jobs were cancelled while their cleanup has not run,
//! as in Python after `task.cancel()` without awaiting the task.
//!
//! Caught by: unfinished_jobs_are_cancelled_at_the_deadline, when_nothing_finishes_every_job_is_named

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
        let (index, value) = joined.expect("the jobs of this pitfall do not panic");
        results[index] = Some(value);
    }
    // The bug: a request to stop, and no wait for the stop to happen.
    set.abort_all();
    drop(set);
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
