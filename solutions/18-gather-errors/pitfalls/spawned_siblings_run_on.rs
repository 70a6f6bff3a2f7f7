//! Pitfall: fail-fast over spawned tasks whose handles are simply dropped.
//!
//! Each job is spawned and the handles are raced in a `FuturesUnordered`, so
//! the first error is returned at the right moment. But returning drops the
//! other `JoinHandle`s, and dropping a `JoinHandle` detaches its task: the
//! siblings run on to the end, exactly like Python's plain `gather`.
//!
//! Caught by: fail_fast_cancels_the_siblings

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{
    Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats, load_dashboard, settle,
};

use futures::StreamExt;
use futures::stream::FuturesUnordered;

pub async fn fail_fast<T, E, F>(jobs: impl IntoIterator<Item = F>) -> Result<Vec<T>, E>
where
    T: Send + 'static,
    E: Send + 'static,
    F: Future<Output = Result<T, E>> + Send + 'static,
{
    let mut running: FuturesUnordered<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(index, job)| {
            let handle = tokio::spawn(job);
            async move { (index, handle.await) }
        })
        .collect();
    let mut slots: Vec<Option<T>> = (0..running.len()).map(|_| None).collect();
    while let Some((index, joined)) = running.next().await {
        match joined {
            Ok(Ok(value)) => slots[index] = Some(value),
            // Returning drops `running`, and with it the other handles: the
            // tasks are detached, not cancelled.
            Ok(Err(error)) => return Err(error),
            Err(join_error) => std::panic::resume_unwind(join_error.into_panic()),
        }
    }
    Ok(slots.into_iter().map(Option::unwrap).collect())
}
