//! Kata 18, reference solution: how do you handle errors in `gather`?
//!
//! There are three answers, one per situation:
//!
//! - [`settle`]: every job runs to the end and every outcome is kept, errors
//!   included, in input order. This is `gather(..., return_exceptions=True)`.
//! - [`fail_fast`]: the first error ends the whole batch *and cancels the
//!   jobs still running*. Python's plain `gather` raises the first error but
//!   leaves the others running; `try_join_all` drops them, which in Rust
//!   cancels them.
//! - [`load_dashboard`]: a page assembled from independent services. One
//!   broken (or hung) service must blank its own section, not the page: each
//!   section degrades on its own, and the good ones are kept.
//!
//! The [`Backend`] is given, in the kata's `src/given.rs`: a simulated set
//! of services whose latency and health the tests choose.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/18-gather-errors/src/given.rs"]
mod given;
pub use given::{Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats};

use futures::future::{join_all, try_join_all};
use tokio::time::timeout;

// ---------------------------------------------------------------------------
// Settled results and fail-fast
// ---------------------------------------------------------------------------

/// Runs every job concurrently to the end and returns every outcome, `Ok`
/// and `Err` alike, in the order of `jobs`.
pub async fn settle<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Vec<Result<T, E>>
where
    F: Future<Output = Result<T, E>>,
{
    // `join_all` does not look inside the outputs: to it an `Err` is just a
    // value. So it waits for every job, and keeps the input order.
    join_all(jobs).await
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
    // `try_join_all` polls every job, and on the first `Err` it is ready with
    // that error. The `TryJoinAll` future still holds the other jobs; it is a
    // temporary of this statement, so it is dropped right here, before
    // `fail_fast` returns, and dropping a job's future is what cancels it.
    //
    // The bounds allow spawning, but spawning would need more care: a dropped
    // `JoinHandle` detaches its task, so the siblings would run on. Without
    // spawning, cancellation is just ownership.
    try_join_all(jobs).await
}

// ---------------------------------------------------------------------------
// The dashboard
// ---------------------------------------------------------------------------

/// Bounds one section's call by [`SERVICE_TIMEOUT`], turning a hang into an
/// error like any other.
async fn section<T>(call: impl Future<Output = Result<T, String>>) -> Result<T, String> {
    // Two layers: the outer `Err` is the timeout, the inner one the service's.
    timeout(SERVICE_TIMEOUT, call)
        .await
        .unwrap_or_else(|_elapsed| Err("timed out".to_owned()))
}

/// Loads the three sections concurrently. Each one degrades on its own: a
/// failing or hanging service blanks its section and is listed in
/// `problems`, and every other section is kept. Takes as long as the slowest
/// section, and never longer than [`SERVICE_TIMEOUT`].
pub async fn load_dashboard(backend: &Backend, user_id: u64) -> Dashboard {
    // `join!`, not `try_join!`: the sections are independent, so one error
    // must not end the others. Each gets its own timeout, so a hung service
    // cannot hold the page beyond `SERVICE_TIMEOUT` either. The three futures
    // have different output types, which `join!` handles and `join_all`
    // (one type for all) would not.
    let (profile, stats, notifications) = tokio::join!(
        section(backend.profile(user_id)),
        section(backend.stats(user_id)),
        section(backend.notifications(user_id)),
    );

    let mut problems = Vec::new();
    // `.map_err(..).ok()` keeps a good section as `Some`, and files a bad one
    // under `problems` (in `Service` order, the order of these lines).
    let mut keep = |service: Service, error: String| problems.push((service, error));
    let profile = profile.map_err(|e| keep(Service::Profile, e)).ok();
    let stats = stats.map_err(|e| keep(Service::Stats, e)).ok();
    let notifications = notifications
        .map_err(|e| keep(Service::Notifications, e))
        .ok();

    Dashboard {
        profile,
        stats,
        notifications,
        problems,
    }
}
