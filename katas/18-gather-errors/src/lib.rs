//! Kata 18: how do you handle errors in `gather`?
//!
//! Write three ways of running several fallible jobs together:
//!
//! - [`settle`]: every job runs to the end and every outcome is kept, errors
//!   included (Python's `gather(..., return_exceptions=True)`);
//! - [`fail_fast`]: the first error ends the batch at once, and the jobs still
//!   running are cancelled (Python's plain `gather` leaves them running);
//! - [`load_dashboard`]: a page built from three independent services, where
//!   a failing or hanging service blanks its own section and nothing else.
//!
//! The simulated [`Backend`] is given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p gather-errors`, or `cargo xtask watch`.

mod given;
pub use given::{Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats};

// ---------------------------------------------------------------------------
// Settled results and fail-fast
// ---------------------------------------------------------------------------

/// Runs every job concurrently to the end and returns every outcome, `Ok`
/// and `Err` alike, in the order of `jobs`.
pub async fn settle<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Vec<Result<T, E>>
where
    F: Future<Output = Result<T, E>>,
{
    // TODO: run every job together and keep every outcome, in input order.
    let jobs: Vec<F> = jobs.into_iter().collect();
    todo!("settle {} jobs", jobs.len())
}

/// Runs every job concurrently. Returns all the values in the order of
/// `jobs` if every job succeeds; otherwise returns the first error (the first
/// to *happen*) as soon as it happens, after cancelling every job still
/// running: when it returns, their cleanup has run. Dropping the returned
/// future cancels every job still running.
pub async fn fail_fast<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Result<Vec<T>, E>
where
    T: Send + 'static,
    E: Send + 'static,
    F: Future<Output = Result<T, E>> + Send + 'static,
{
    // TODO: run every job together; on the first error, cancel the jobs
    // still running (when this returns, their cleanup must have run) and
    // return that error.
    let jobs: Vec<F> = jobs.into_iter().collect();
    todo!("run {} jobs, failing fast", jobs.len())
}

// ---------------------------------------------------------------------------
// The dashboard
// ---------------------------------------------------------------------------

/// Loads the three sections concurrently. Each one degrades on its own: a
/// failing or hanging service blanks its section and is listed in
/// `problems`, and every other section is kept. Takes as long as the slowest
/// section, and never longer than [`SERVICE_TIMEOUT`].
pub async fn load_dashboard(backend: &Backend, user_id: u64) -> Dashboard {
    // TODO: call the three services together, each bounded by
    // SERVICE_TIMEOUT; keep every section that answered, and list each one
    // that failed (or timed out) in `problems`.
    todo!("load the dashboard of user {user_id} from {backend:?}")
}
