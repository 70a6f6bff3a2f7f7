//! Pitfall: falling back to the next replica only after one has failed.
//!
//! A retry loop over the replicas is robust but is not a hedge: a slow
//! primary is waited for to the end, and a fast backup is never asked. The
//! answer comes from the first replica in the list that works, whenever it
//! gets there.
//!
//! Caught by: the_fastest_success_wins, a_backup_that_answers_first_wins, a_fast_failure_does_not_win

use std::time::Duration;

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
    let mut errors = Vec::new();
    for (name, attempt) in attempts {
        match attempt.await {
            Ok(value) => return Ok((name, value)),
            Err(error) => errors.push((name, error)),
        }
    }
    Err(errors)
}
