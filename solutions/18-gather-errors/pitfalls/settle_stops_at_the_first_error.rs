//! Pitfall: a "settle" built on `try_join_all`.
//!
//! On the first error, `try_join_all` drops the other jobs, so their outcomes
//! are gone and all that can be returned is that one error. That is the
//! fail-fast behaviour; `return_exceptions=True` asks for the opposite: let
//! every job finish and keep every outcome in its place.
//!
//! Caught by: settle_keeps_every_outcome_in_input_order, settle_lets_every_job_finish_despite_an_error

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{
    Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats, fail_fast, load_dashboard,
};

pub async fn settle<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Vec<Result<T, E>>
where
    F: Future<Output = Result<T, E>>,
{
    match futures::future::try_join_all(jobs).await {
        Ok(values) => values.into_iter().map(Ok).collect(),
        Err(error) => vec![Err(error)],
    }
}
