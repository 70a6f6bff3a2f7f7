//! Pitfall: giving up as soon as the next attempt would not fit.
//!
//! When the pause would reach past the deadline, returning `TimedOut` at once
//! looks efficient, but it answers "out of time" while time is left: the
//! caller gave the operation until the deadline, and a time-out reported
//! before it is a lie about what happened. Wait for the deadline, then report.
//!
//! Caught by: retry_gives_up_at_the_deadline_when_every_attempt_fails, retry_stops_at_the_deadline_when_the_pause_would_cross_it

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
        let error = match with_deadline(deadline, attempt()).await {
            Ok(value) => return Ok(value),
            Err(TimeoutError::TimedOut) => return Err(TimeoutError::TimedOut),
            Err(TimeoutError::Failed(error)) => error,
        };
        let resume = Instant::now() + pause;
        if resume >= deadline {
            // The wrong answer: "timed out" before the time is up.
            drop(error);
            return Err(TimeoutError::TimedOut);
        }
        tokio::time::sleep_until(resume).await;
    }
}
