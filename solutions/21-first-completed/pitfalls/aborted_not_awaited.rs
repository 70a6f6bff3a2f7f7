//! Pitfall: spawned attempts, aborted on a win, but not waited for.
//!
//! Better than leaving the losers running: `abort_all()` (or dropping the
//! `JoinSet`) asks each of them to stop. But it only asks. Their futures are
//! dropped when tokio next gets to their tasks, after the winner has been
//! returned, so the caller goes on while the losers still hold whatever they
//! hold. Spawned attempts need `abort_all()` and then `join_next()` until
//! `None`; attempts driven inside the function need neither.
//!
//! Caught by: the_losers_are_cancelled_when_the_winner_arrives, a_backup_that_answers_first_wins

use std::time::Duration;

use tokio::task::JoinSet;
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
    let mut racing = JoinSet::new();
    for (index, (name, attempt)) in attempts.into_iter().enumerate() {
        let start_at = now + stagger * u32::try_from(index).unwrap_or(u32::MAX);
        racing.spawn(async move {
            sleep_until(start_at).await;
            (name, attempt.await)
        });
    }
    let mut errors = Vec::new();
    while let Some(joined) = racing.join_next().await {
        match joined.expect("the attempts do not panic") {
            (name, Ok(value)) => {
                // The bug: returning right after the request to stop.
                racing.abort_all();
                return Ok((name, value));
            }
            (name, Err(error)) => errors.push((name, error)),
        }
    }
    Err(errors)
}
