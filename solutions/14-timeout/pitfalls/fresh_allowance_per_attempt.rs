//! Pitfall: each retry gets the whole time budget again.
//!
//! Turning the deadline into a duration once (`deadline - start`) and giving
//! every attempt `timeout(that_duration, …)` bounds each attempt, but not
//! their sum: an attempt started late runs on past the deadline. One deadline
//! shared by all attempts (`timeout_at`) is what bounds the total.
//!
//! Caught by: retry_cuts_off_the_attempt_in_flight_at_the_deadline

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
    // The wrong answer: a relative budget, renewed for every attempt.
    let budget = deadline.saturating_duration_since(Instant::now());
    loop {
        match with_timeout(budget, attempt()).await {
            Ok(value) => return Ok(value),
            Err(TimeoutError::TimedOut) => return Err(TimeoutError::TimedOut),
            Err(TimeoutError::Failed(_)) => {}
        }
        if Instant::now() + pause >= deadline {
            tokio::time::sleep_until(deadline).await;
            return Err(TimeoutError::TimedOut);
        }
        tokio::time::sleep(pause).await;
    }
}
