//! Pitfall: the first attempt to *complete* is taken as the answer.
//!
//! This is `done, pending = await asyncio.wait(..., return_when=FIRST_COMPLETED)`
//! followed by `done.pop().result()`. "Completed" includes "failed": a
//! replica that errors out fast wins the race and the caller gets its error,
//! although a healthy replica would have answered a moment later.
//!
//! Caught by: a_fast_failure_does_not_win, a_failed_primary_leaves_the_race_to_the_backups

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::time::{Instant, sleep_until};

pub async fn first_success<T, E, F>(
    attempts: Vec<(String, F)>,
    stagger: Duration,
) -> Result<(String, T), Vec<(String, E)>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let now = Instant::now();
    let mut racing = FuturesUnordered::new();
    for (index, (name, attempt)) in attempts.into_iter().enumerate() {
        let start_at = now + stagger * index as u32;
        racing.push(async move {
            sleep_until(start_at).await;
            (name, attempt.await)
        });
    }
    match racing.next().await {
        Some((name, Ok(value))) => Ok((name, value)),
        // The bug: an error that finished first is reported as the outcome.
        Some((name, Err(error))) => Err(vec![(name, error)]),
        None => Err(Vec::new()),
    }
}
