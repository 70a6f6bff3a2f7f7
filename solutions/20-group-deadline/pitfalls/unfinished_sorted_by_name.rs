//! Pitfall: the names of the unfinished jobs kept in a sorted set.
//!
//! A `BTreeSet` of the names still pending, from which each finished job is
//! removed, gives the right names in the wrong order: sorted by name, not
//! in the order the jobs were given. The caller pairs the report with its
//! own list of jobs, so the order is part of the answer (and a set also
//! merges two jobs that share a name).
//!
//! Caught by: the_report_keeps_the_order_of_the_jobs

#[path = "../src/lib.rs"]
mod given;
pub use given::Report;

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};

pub async fn run_with_deadline<T, F>(jobs: Vec<(String, F)>, limit: Duration) -> Report<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let deadline = Instant::now() + limit;
    let mut pending = BTreeSet::new();
    let mut results: Vec<Option<(String, T)>> = Vec::new();
    let mut set = JoinSet::new();
    for (index, (name, job)) in jobs.into_iter().enumerate() {
        pending.insert(name.clone());
        results.push(None);
        set.spawn(async move { (index, name, job.await) });
    }
    while let Ok(Some(joined)) = timeout_at(deadline, set.join_next()).await {
        let (index, name, value) = joined.expect("the jobs of this pitfall do not panic");
        pending.remove(&name);
        results[index] = Some((name, value));
    }
    set.abort_all();
    while set.join_next().await.is_some() {}
    Report {
        finished: results.into_iter().flatten().collect(),
        // The bug: a sorted set forgets the order the jobs were given in.
        unfinished: pending.into_iter().collect(),
    }
}
