//! Pitfall: an eager job that is cancelled when its future is dropped.
//!
//! A `JoinSet` aborts its tasks when it is dropped. Keeping the task in one
//! looks tidy, but it ties the job's life to the returned future: a caller
//! that starts the job and stops caring about the report cancels the work
//! half-way. `create_task` (and a plain `tokio::spawn`) let it finish.
//!
//! Caught by: an_eager_job_dropped_unawaited_still_finishes

#[path = "../src/lib.rs"]
mod given;
pub use given::{Journal, job, lazy_job};

use std::time::Duration;

use tokio::task::JoinSet;

pub fn eager_job(
    journal: Journal,
    name: &'static str,
    took: Duration,
) -> impl Future<Output = String> + Send + 'static {
    let mut set = JoinSet::new();
    set.spawn(job(journal, name, took));
    async move {
        set.join_next()
            .await
            .expect("one task was spawned")
            .expect("the job does not panic")
    }
}
