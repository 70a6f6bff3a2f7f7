//! Pitfall: running every job to the end, then looking for an error.
//!
//! `join_all(...)` followed by `collect::<Result<Vec<_>, _>>()` gives the
//! right answer, far too late: the error that happened at 1 s is reported
//! once the 10 s job is done, and jobs that should have been cancelled ran to
//! completion. It also reports the first error in *input* order, not the
//! first one to happen.
//!
//! Caught by: fail_fast_returns_the_first_error_as_soon_as_it_happens, fail_fast_cancels_the_siblings

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{
    Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats, load_dashboard, settle,
};

pub async fn fail_fast<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Result<Vec<T>, E>
where
    T: Send + 'static,
    E: Send + 'static,
    F: Future<Output = Result<T, E>> + Send + 'static,
{
    futures::future::join_all(jobs).await.into_iter().collect()
}
