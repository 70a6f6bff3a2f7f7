//! Pitfall: ignoring the stagger and sending every request at once.
//!
//! The right answer arrives, but every replica gets the full load of every
//! request: the backups were meant to be sent only when the primary is
//! slow. Hedging is cheap only because most backups are never sent.
//!
//! Caught by: attempts_start_one_stagger_apart, backups_not_yet_due_are_never_started

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;

pub async fn first_success<T, E, F>(
    attempts: Vec<(String, F)>,
    stagger: Duration,
) -> Result<(String, T), Vec<(String, E)>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let _ = stagger;
    let mut racing: FuturesUnordered<_> = attempts
        .into_iter()
        .map(|(name, attempt)| async move { (name, attempt.await) })
        .collect();
    let mut errors = Vec::new();
    while let Some((name, result)) = racing.next().await {
        match result {
            Ok(value) => return Ok((name, value)),
            Err(error) => errors.push((name, error)),
        }
    }
    Err(errors)
}
