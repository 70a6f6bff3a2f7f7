//! Pitfall: fail-fast over a `JoinSet` that returns the first error and lets the drop abort the rest.
//!
//! Better than dropped `JoinHandle`s: dropping the `JoinSet` does abort every
//! sibling, so none of them finishes. But aborting only asks. Each sibling is
//! dropped later, when the runtime next runs it, so when `fail_fast` returns
//! their cleanup has not run yet: a caller that retries at once, or reuses
//! what the siblings held, races with them. Call `shutdown().await` (abort,
//! then wait) before returning the error.
//!
//! Caught by: fail_fast_cancels_the_siblings

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{
    Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats, load_dashboard, settle,
};

use tokio::task::JoinSet;

pub async fn fail_fast<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Result<Vec<T>, E>
where
    T: Send + 'static,
    E: Send + 'static,
    F: Future<Output = Result<T, E>> + Send + 'static,
{
    let mut running = JoinSet::new();
    let mut count = 0;
    for (index, job) in jobs.into_iter().enumerate() {
        running.spawn(async move { (index, job.await) });
        count += 1;
    }
    let mut slots: Vec<Option<T>> = (0..count).map(|_| None).collect();
    while let Some(joined) = running.join_next().await {
        match joined {
            Ok((index, Ok(value))) => slots[index] = Some(value),
            // Returning drops `running`, which aborts the siblings, but
            // nothing waits for them to be dropped.
            Ok((_, Err(error))) => return Err(error),
            Err(join_error) => std::panic::resume_unwind(join_error.into_panic()),
        }
    }
    Ok(slots.into_iter().map(Option::unwrap).collect())
}
