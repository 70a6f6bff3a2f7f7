//! Pitfall: retrying forever.
//!
//! Every attempt is bounded, so it looks safe, but the loop itself is not:
//! each attempt that times out or fails is simply tried again. Against a
//! service that never answers (or always fails) the caller waits forever; the
//! deadline has to bound the whole retry loop, not only each attempt.
//!
//! Caught by: retry_gives_up_at_the_deadline_when_the_service_hangs, retry_gives_up_at_the_deadline_when_every_attempt_fails

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
    // The wrong answer: a fresh allowance per attempt, and no end to the loop.
    let allowance = deadline.saturating_duration_since(Instant::now());
    loop {
        if let Ok(value) = with_timeout(allowance, attempt()).await {
            return Ok(value);
        }
        tokio::time::sleep(pause).await;
    }
}
