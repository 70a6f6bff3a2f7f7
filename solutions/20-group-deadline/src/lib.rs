//! Kata 20, reference solution: one deadline over a group of tasks.
//!
//! `timeout(limit, join_all(jobs))` is all or nothing: when the limit
//! passes, the whole `join_all` is dropped, and with it the results of the
//! jobs that had already finished. [`run_with_deadline`] keeps them. It
//! spawns every job into a `JoinSet`, collects results one by one as they
//! arrive, and stops collecting at a single deadline fixed at the start.
//! Whatever has not finished by then is aborted, and the function waits
//! until each aborted job is really gone before it reports.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/20-group-deadline/src/given.rs"]
mod given;
pub use given::Report;

use std::panic;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};

/// Runs every job concurrently under one deadline, `limit` from now.
///
/// Returns as soon as every job has finished, or at the deadline, whichever
/// comes first. Jobs that finished keep their results; jobs that did not are
/// cancelled, and their cleanup has run by the time this returns. Dropping
/// the returned future cancels every job still running.
///
/// # Panics
/// If a job panics, the panic is passed on to the caller.
pub async fn run_with_deadline<T, F>(jobs: Vec<(String, F)>, limit: Duration) -> Report<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    // One deadline for the whole group, computed once. Waiting `limit` for
    // each result in turn would give every job its own timeout, and the
    // group as a whole could run for many times the limit.
    let deadline = Instant::now() + limit;

    // Each job becomes a task in the set, so all of them run at once. The
    // set owns them: dropping it would abort the lot, which is also what
    // makes a panic below safe (no job outlives this function).
    //
    // Results arrive in completion order, so each task carries the index of
    // its job: that is how the report keeps the order the jobs were given.
    let mut names = Vec::with_capacity(jobs.len());
    let mut results: Vec<Option<T>> = Vec::with_capacity(jobs.len());
    let mut set = JoinSet::new();
    for (index, (name, job)) in jobs.into_iter().enumerate() {
        names.push(name);
        results.push(None);
        set.spawn(async move { (index, job.await) });
    }

    // Collect until the set is empty (everything finished: return early) or
    // the deadline passes. `timeout_at` only drops the `join_next` future
    // when the deadline fires; the tasks themselves are untouched, and the
    // results already collected are safe in `results`.
    while let Ok(Some(joined)) = timeout_at(deadline, set.join_next()).await {
        let (index, value) = joined.unwrap_or_else(|error| {
            // Nothing aborts the tasks before the deadline, so a JoinError
            // here is a panic: hand it to our caller as if the job ran inline.
            panic::resume_unwind(error.into_panic())
        });
        results[index] = Some(value);
    }

    // Time is up. Ask every task still in the set to stop, then drain the
    // set: `abort_all` only *requests* cancellation, and the futures (with
    // their cleanup) are dropped when tokio next gets to them. Draining
    // waits for that, so the report never names a job still running.
    //
    // On a multi-thread runtime a job may finish in the instant between the
    // deadline and the abort; draining also catches its result, so it is
    // reported finished rather than thrown away.
    set.abort_all();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((index, value)) => results[index] = Some(value),
            Err(error) if error.is_cancelled() => {}
            Err(error) => panic::resume_unwind(error.into_panic()),
        }
    }

    // `results[i]` is `Some` exactly when job `i` finished.
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
