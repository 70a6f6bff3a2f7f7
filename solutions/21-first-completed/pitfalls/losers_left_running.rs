//! Pitfall: the winner is returned, the losers are left running.
//!
//! Each attempt is spawned and the first successful `JoinHandle` wins. Then
//! the other handles are dropped, and dropping a `JoinHandle` *detaches* its
//! task: the losers keep their connections busy until they finish, and the
//! backups not yet due are still sent later. This is also what Python's
//! `asyncio.wait` does if you forget to `cancel()` the pending set.
//!
//! Caught by: the_losers_are_cancelled_when_the_winner_arrives, a_backup_that_answers_first_wins, backups_not_yet_due_are_never_started

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
    let mut racing: FuturesUnordered<_> = attempts
        .into_iter()
        .enumerate()
        .map(|(index, (name, attempt))| {
            let start_at = now + stagger * index as u32;
            tokio::spawn(async move {
                sleep_until(start_at).await;
                (name, attempt.await)
            })
        })
        .collect();
    let mut errors = Vec::new();
    while let Some(joined) = racing.next().await {
        match joined.expect("the attempts do not panic") {
            // The bug: returning drops the other JoinHandles, which only
            // detaches their tasks.
            (name, Ok(value)) => return Ok((name, value)),
            (name, Err(error)) => errors.push((name, error)),
        }
    }
    Err(errors)
}
