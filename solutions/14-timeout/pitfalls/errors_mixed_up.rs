//! Pitfall: every error reported as a time-out.
//!
//! `timeout(limit, op).await` is a `Result` *of* a `Result`. Collapsing both
//! layers into one "it did not work" answer (here, everything becomes
//! `TimedOut`) tells the caller to wait longer when the service actually said
//! "no": a disk-full error is not cured by a longer timeout.
//!
//! Caught by: the_operations_own_error_is_not_a_timeout, with_deadline_tells_a_value_from_a_failure

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
    // The wrong answer: both layers flattened into the same variant.
    tokio::time::timeout(limit, operation)
        .await
        .map_err(|_| TimeoutError::TimedOut)?
        .map_err(|_| TimeoutError::TimedOut)
}

pub async fn with_deadline<T, E>(
    deadline: Instant,
    operation: impl Future<Output = Result<T, E>>,
) -> Result<T, TimeoutError<E>> {
    tokio::time::timeout_at(deadline, operation)
        .await
        .map_err(|_| TimeoutError::TimedOut)?
        .map_err(|_| TimeoutError::TimedOut)
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
