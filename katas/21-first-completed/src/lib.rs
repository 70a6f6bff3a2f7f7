//! Kata 21: why is `wait(..., return_when=FIRST_COMPLETED)` useful?
//!
//! Write [`first_success`], hedged requests: send the same request to
//! several replicas, one `stagger` apart, and take the first *successful*
//! answer. Attempts that fail are skipped; once a winner is found, every
//! other attempt is cancelled; if all fail, the caller gets every error.
//! The tempting mistake is to take the first attempt that *completes*,
//! which may well be an error.
//!
//! Run the tests with `cargo test -p first-completed`, or `cargo xtask watch`.

use std::time::Duration;

/// Runs the attempts as hedged requests and returns the first success, as
/// `(name, value)`.
///
/// Attempt `i` (counting from 0) is started `i × stagger` after the call,
/// unless a success has arrived by then (a success at that very instant
/// included); with a zero `stagger` all start at once, and a turn too far
/// away for the clock to represent (`Duration::MAX`) never comes. A failed
/// attempt is skipped and the others go on. As soon as one succeeds, every
/// other attempt is cancelled: by the time this returns, none of them is
/// still running and their cleanup has run. If every attempt that was
/// started fails, returns all the errors, with their names, in the order the
/// attempts failed. Dropping the returned future cancels every attempt in
/// the same way.
pub async fn first_success<T, E, F>(
    attempts: Vec<(String, F)>,
    stagger: Duration,
) -> Result<(String, T), Vec<(String, E)>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    // TODO: keep the attempts not yet sent in order (a future does nothing
    // until polled, so one left there has not started), and drive the sent
    // ones together, taking their results in the order they complete
    // (`futures::stream::FuturesUnordered` is one way). Attempt i is due at
    // `now + i x stagger`, from one clock reading. Wait for whichever comes
    // first, a completion or the next turn (`tokio::select!`), and when
    // both come at the same instant, the completion first. Skip and
    // remember errors; on the first success make sure every other attempt
    // is stopped before returning.
    todo!(
        "race {} attempts started {stagger:?} apart, first success wins",
        attempts.len()
    )
}
