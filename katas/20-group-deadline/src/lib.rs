//! Kata 20: how do you limit the total time of several tasks?
//!
//! Write [`run_with_deadline`]: run a group of jobs concurrently under one
//! deadline. What finished in time keeps its result; what did not is named
//! in the [`Report`] and cancelled (its cleanup has run by the time the
//! function returns). `timeout(limit, join_all(jobs))` is the tempting
//! answer, and it throws away every result when the limit passes.
//!
//! The [`Report`] is given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p group-deadline`, or `cargo xtask watch`.

mod given;
pub use given::Report;

use std::time::Duration;

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
    // TODO: fix one deadline (`tokio::time::Instant::now() + limit`); start
    // every job at once (a `tokio::task::JoinSet` is one way); collect
    // results as they arrive until all are in or the deadline passes
    // (`tokio::time::timeout_at`); then cancel the rest and wait until they
    // are really gone; report both lists in the order the jobs were given.
    todo!(
        "run {} jobs under one deadline {limit:?} from now",
        jobs.len()
    )
}
