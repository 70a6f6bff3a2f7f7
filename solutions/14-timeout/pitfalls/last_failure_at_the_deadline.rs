//! Pitfall: reporting the last failure when the time runs out.
//!
//! At the deadline the last attempt had failed, so returning its error feels
//! informative. But the caller asked for an answer by the deadline and did not
//! get one: that is `TimedOut`. Returning `Failed` mixes the two errors up
//! again, and tells the caller the service said "no" for good.
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
            tokio::time::sleep_until(deadline).await;
            // The wrong answer: out of time, reported as the service's error.
            return Err(TimeoutError::Failed(error));
        }
        tokio::time::sleep_until(resume).await;
    }
}
