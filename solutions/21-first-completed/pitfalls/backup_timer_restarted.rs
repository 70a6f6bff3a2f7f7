//! Pitfall: restarting the backup timer after every failure.
//!
//! A line-by-line port of the Python sketch in the README: wait up to one
//! `stagger` for a completion, send the next backup if none came, and start
//! the wait afresh after each failure. Every failure then pushes the rest of
//! the schedule back, so attempt *i* is no longer sent at *i* × `stagger`
//! and a run of fast failures delays the backup that would have answered.
//!
//! Caught by: a_failed_primary_leaves_the_race_to_the_backups

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::time::timeout;

pub async fn first_success<T, E, F>(
    attempts: Vec<(String, F)>,
    stagger: Duration,
) -> Result<(String, T), Vec<(String, E)>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    // One closure, so that every attempt becomes the same future type.
    let send = |(name, attempt): (String, F)| async move { (name, attempt.await) };
    let mut not_sent = attempts.into_iter();
    let mut racing = FuturesUnordered::new();
    let mut errors = Vec::new();
    loop {
        if racing.is_empty() {
            match not_sent.next() {
                Some(attempt) => racing.push(send(attempt)),
                None => return Err(errors),
            }
        }
        // The bug: a fresh `stagger` for every wait, rather than a fixed
        // start time for every attempt.
        let wait = if not_sent.len() > 0 {
            timeout(stagger, racing.next()).await
        } else {
            Ok(racing.next().await)
        };
        match wait {
            Ok(Some((name, Ok(value)))) => return Ok((name, value)),
            Ok(Some((name, Err(error)))) => errors.push((name, error)),
            Ok(None) => {}
            Err(_elapsed) => {
                if let Some(attempt) = not_sent.next() {
                    racing.push(send(attempt));
                }
            }
        }
    }
}
