//! Pitfall: the deadline checked only before each attempt.
//!
//! Looking at the clock at the top of the loop stops new attempts, but the
//! pause after a failure is slept in full, even when it reaches past the
//! deadline: the caller gets `TimedOut` late, by up to one pause. The pause
//! has to be bounded by the deadline too.
//!
//! Caught by: retry_stops_at_the_deadline_when_the_pause_would_cross_it

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Reply, Service, ServiceError, TimeoutError, with_deadline, with_timeout};

use std::time::Duration;

use tokio::time::Instant;

pub async fn retry_until<T, E, F, Fut>(
    deadline: Instant,
    pause: Duration,
    mut attempt: F,
) -> Result<T, TimeoutError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    loop {
        if Instant::now() >= deadline {
            return Err(TimeoutError::TimedOut);
        }
        match with_deadline(deadline, attempt()).await {
            Ok(value) => return Ok(value),
            Err(TimeoutError::TimedOut) => return Err(TimeoutError::TimedOut),
            Err(TimeoutError::Failed(_)) => {}
        }
        // The wrong answer: the whole pause, wherever it ends.
        tokio::time::sleep(pause).await;
    }
}
