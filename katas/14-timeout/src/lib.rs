//! Kata 14: put a timeout on an operation.
//!
//! Write three ways to bound the time an operation may take, each returning a
//! [`TimeoutError`] that tells "the time ran out" from "the operation failed":
//!
//! * [`with_timeout`]: a relative limit, like Python's `asyncio.wait_for`;
//! * [`with_deadline`]: an absolute deadline, like `asyncio.timeout_at`;
//! * [`retry_until`]: retry a failing operation, but only until one deadline.
//!
//! The simulated [`Service`] and [`TimeoutError`] are given, in
//! `src/given.rs`; the service counts the calls that were dropped before they
//! answered, which is how the tests see a cancellation.
//!
//! Run the tests with `cargo test -p timeout`, or `cargo xtask watch`.

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
    // TODO: `tokio::time::timeout` gives `Result<Result<T, E>, Elapsed>`; map
    // each of the three cases to its own answer.
    let _operation = operation;
    todo!("run the operation for at most {limit:?}")
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
    // TODO: the same, with `tokio::time::timeout_at`.
    let _operation = operation;
    todo!("run the operation until {deadline:?} at the latest")
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
    // TODO: a loop: run `attempt()` under the one shared deadline; return a
    // value or a time-out; after a failure, pause (never past the deadline).
    let _ = &mut attempt;
    todo!("retry every {pause:?} until {deadline:?}")
}
