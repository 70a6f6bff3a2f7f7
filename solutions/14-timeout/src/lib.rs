//! Kata 14, reference solution: put a timeout on an operation.
//!
//! `tokio::time::timeout` wraps a future: it polls the operation, and if the
//! time runs out first it *drops* it and returns `Err(Elapsed)`. Dropping is
//! tokio's cancellation (kata 13), so an operation that timed out is really
//! gone, and whatever it held is released at that instant.
//!
//! What `timeout` gives back is a nested `Result<Result<T, E>, Elapsed>`, and
//! nested results are where "it timed out" and "it failed" get mixed up. Here
//! the two are flattened into one [`TimeoutError`] that keeps them apart, for
//! a relative limit ([`with_timeout`]), an absolute deadline
//! ([`with_deadline`]), and retries that all share one deadline
//! ([`retry_until`]), so that retrying cannot go on forever.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/14-timeout/src/given.rs"]
mod given;
pub use given::{Reply, Service, ServiceError, TimeoutError};

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// Runs `operation` for at most `limit` (like Python's `wait_for`).
///
/// An operation that finishes exactly at the limit counts as finished: tokio
/// polls the operation before it looks at the clock. A zero limit still polls
/// the operation once.
pub async fn with_timeout<T, E>(
    limit: Duration,
    operation: impl Future<Output = Result<T, E>>,
) -> Result<T, TimeoutError<E>> {
    // The outer `Result` is the timer's, the inner one the operation's. Each
    // is mapped to its own variant; `Elapsed` carries nothing worth keeping.
    // When the timer wins, `timeout` has already dropped the operation.
    match tokio::time::timeout(limit, operation).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(TimeoutError::Failed(error)),
        Err(_elapsed) => Err(TimeoutError::TimedOut),
    }
}

/// Runs `operation` until the instant `deadline` at the latest (like Python's
/// `asyncio.timeout_at`).
///
/// A deadline already in the past still polls the operation once, so a
/// result that is ready at once is returned.
pub async fn with_deadline<T, E>(
    deadline: Instant,
    operation: impl Future<Output = Result<T, E>>,
) -> Result<T, TimeoutError<E>> {
    // `timeout_at` rather than `timeout(deadline - now)`: the deadline is a
    // point in time, so however long the caller took to get here, the
    // operation ends at the same instant. That is what lets several steps
    // share one deadline (see `retry_until`).
    match tokio::time::timeout_at(deadline, operation).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(TimeoutError::Failed(error)),
        Err(_elapsed) => Err(TimeoutError::TimedOut),
    }
}

/// Calls `attempt` again and again, `pause` apart, until one attempt succeeds
/// or `deadline` comes.
///
/// An attempt that fails is retried after `pause`; an attempt still running
/// at the deadline is dropped. When the deadline comes without a success,
/// returns [`TimeoutError::TimedOut`] at exactly the deadline: never later,
/// and never earlier either (a pause that would reach past the deadline
/// waits for the deadline instead of starting another attempt). No attempt
/// ever starts at or after the deadline: called with a deadline that has
/// already come, it returns `TimedOut` at once, without calling `attempt`.
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
        // No attempt starts at or after the deadline. After a pause this
        // cannot happen (the pause below ends before the deadline), so this
        // guards the first attempt: a caller whose deadline has already
        // come gets `TimedOut`, not one last call. `with_deadline` alone
        // would still poll the attempt once, and start it.
        if Instant::now() >= deadline {
            return Err(TimeoutError::TimedOut);
        }
        // Every attempt gets the *same* deadline, not a fresh allowance: the
        // total time is bounded however many attempts there are.
        match with_deadline(deadline, attempt()).await {
            Ok(value) => return Ok(value),
            // Out of time: retrying now would only start an attempt that is
            // cut off at once.
            Err(TimeoutError::TimedOut) => return Err(TimeoutError::TimedOut),
            // The service's own failure is the one thing worth retrying.
            Err(TimeoutError::Failed(_)) => {}
        }
        let resume = Instant::now() + pause;
        if resume >= deadline {
            // No time for another attempt. Waiting out the deadline keeps the
            // promise that `TimedOut` comes exactly at the deadline.
            tokio::time::sleep_until(deadline).await;
            return Err(TimeoutError::TimedOut);
        }
        tokio::time::sleep_until(resume).await;
    }
}
