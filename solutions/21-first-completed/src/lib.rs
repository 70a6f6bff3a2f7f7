//! Kata 21, reference solution: hedged requests.
//!
//! Ask several replicas the same question and take the first *good* answer.
//! [`first_success`] starts the attempts one `stagger` apart (the later ones
//! are backups, sent only if the earlier ones are slow), skips attempts that
//! fail, returns the first success, and cancels every other attempt before
//! it returns. If every attempt fails, the caller gets every error.
//!
//! The attempts are driven together inside this one future by a
//! `FuturesUnordered`, which yields each output the moment it is ready.
//! Cancelling the losers is then just dropping that set: a Rust future that
//! is dropped stops, there and then, and its destructors run.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::time::{Instant, sleep_until};

/// Runs the attempts as hedged requests and returns the first success, as
/// `(name, value)`.
///
/// Attempt `i` (counting from 0) is started `i × stagger` after the call,
/// unless a success has arrived by then; with a zero `stagger` all start at
/// once. A failed attempt is skipped and the others go on. As soon as one
/// succeeds, every other attempt is cancelled: by the time this returns,
/// none of them is still running and their cleanup has run. If every
/// attempt fails, returns all the errors, with their names, in the order the
/// attempts failed.
pub async fn first_success<T, E, F>(
    attempts: Vec<(String, F)>,
    stagger: Duration,
) -> Result<(String, T), Vec<(String, E)>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    // Start times are fixed now, from one clock reading, so that a slow
    // poll cannot push the whole schedule back.
    let now = Instant::now();

    // Every attempt goes into the set at once, wrapped so that it waits for
    // its turn first. Waiting is enough to "not start" it: a future does
    // nothing until it is polled, so `attempt` is not touched before
    // `sleep_until` returns. An attempt whose turn never comes (a winner
    // arrived first) is dropped without ever having run.
    //
    // No `tokio::spawn`: the set lives inside this future, so dropping it
    // drops every attempt immediately. Spawned tasks would need an explicit
    // abort, and a wait for the aborts to land, to promise the same.
    let mut racing = FuturesUnordered::new();
    for (index, (name, attempt)) in attempts.into_iter().enumerate() {
        // `u32::MAX` attempts are far beyond anything sensible; saturating
        // keeps the arithmetic total instead of panicking.
        let turn = u32::try_from(index).unwrap_or(u32::MAX);
        let start_at = now + stagger.saturating_mul(turn);
        racing.push(async move {
            sleep_until(start_at).await;
            (name, attempt.await)
        });
    }

    // `next()` gives the attempts in the order they *complete*, which is
    // exactly Python's `wait(..., return_when=FIRST_COMPLETED)` in a loop.
    // The first completion is not necessarily the answer: it may be an error.
    let mut errors = Vec::new();
    while let Some((name, result)) = racing.next().await {
        match result {
            // Returning drops `racing`, and with it every attempt still in
            // it, running or not yet started: the losers are cancelled
            // before our caller sees the winner.
            Ok(value) => return Ok((name, value)),
            // A failure is only one replica's bad luck: remember it and keep
            // waiting for the others.
            Err(error) => errors.push((name, error)),
        }
    }

    // The set ran dry without a success: every attempt failed (or there
    // were none), and each error is here, in the order they came.
    Err(errors)
}
