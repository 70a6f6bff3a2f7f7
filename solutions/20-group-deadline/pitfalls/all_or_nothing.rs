//! Pitfall: `timeout(limit, join_all(jobs))`, the all-or-nothing deadline.
//!
//! This is the textbook answer (Python's `wait_for(gather(...), timeout)`).
//! When the limit passes, `timeout` drops the `join_all` future, and with it
//! the outputs of the jobs that had already finished: the report can only
//! say "everything" or "nothing".
//!
//! Caught by: jobs_that_beat_the_deadline_keep_their_results, the_deadline_covers_the_whole_group, the_report_keeps_the_order_of_the_jobs

#[path = "../src/lib.rs"]
mod given;
pub use given::Report;

use std::time::Duration;

use futures::future::join_all;
use tokio::time::timeout;

pub async fn run_with_deadline<T, F>(jobs: Vec<(String, F)>, limit: Duration) -> Report<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (names, futures): (Vec<String>, Vec<F>) = jobs.into_iter().unzip();
    match timeout(limit, join_all(futures)).await {
        Ok(values) => Report {
            finished: names.into_iter().zip(values).collect(),
            unfinished: Vec::new(),
        },
        // Every job is dropped here, the finished ones' results with them.
        Err(_elapsed) => Report {
            finished: Vec::new(),
            unfinished: names,
        },
    }
}
