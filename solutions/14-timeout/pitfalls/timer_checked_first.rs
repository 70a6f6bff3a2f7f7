//! Pitfall: a hand-made timeout that looks at the timer first.
//!
//! A `biased` `select!` with the sleep as its first branch checks the clock
//! before the operation. When both are ready at the same instant, the timer
//! wins, and an operation that finished exactly at the limit is thrown away
//! as timed out. `tokio::time::timeout` polls the operation first.
//!
//! Caught by: an_operation_finishing_exactly_at_the_limit_succeeds, a_zero_limit_polls_the_operation_once, with_deadline_tells_a_value_from_a_failure

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Reply, Service, ServiceError, TimeoutError};

use std::time::Duration;

use tokio::time::Instant;

pub async fn with_timeout<T, E>(
    limit: Duration,
    operation: impl Future<Output = Result<T, E>>,
) -> Result<T, TimeoutError<E>> {
    with_deadline(Instant::now() + limit, operation).await
}

pub async fn with_deadline<T, E>(
    deadline: Instant,
    operation: impl Future<Output = Result<T, E>>,
) -> Result<T, TimeoutError<E>> {
    // The wrong answer: the timer is polled first, so it wins every tie.
    tokio::select! {
        biased;
        () = tokio::time::sleep_until(deadline) => Err(TimeoutError::TimedOut),
        result = operation => result.map_err(TimeoutError::Failed),
    }
}

pub async fn retry_until<T, E, F, Fut>(
    deadline: Instant,
    pause: Duration,
    attempt: F,
) -> Result<T, TimeoutError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    given::retry_until(deadline, pause, attempt).await
}
