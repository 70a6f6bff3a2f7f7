//! Kata 21, reference solution: hedged requests.
//!
//! Ask several replicas the same question and take the first *good* answer.
//! [`first_success`] starts the attempts one `stagger` apart (the later ones
//! are backups, sent only if the earlier ones are slow), skips attempts that
//! fail, returns the first success, and cancels every other attempt before
//! it returns. If every attempt fails, the caller gets every error.
//!
//! The attempts that have started are driven together inside this one
//! future by a `FuturesUnordered`, which yields each output the moment it is
//! ready; the ones not yet due wait in a plain iterator, untouched. A
//! `select!` takes whichever comes first, a completion or the next backup's
//! turn, and prefers the completion when both are ready at the same instant.
//! Cancelling the losers is then just dropping the set: a Rust future that is
//! dropped stops, there and then, and its destructors run.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::time::{Instant, sleep_until};

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
    // Start times are fixed now, from one clock reading, so that neither a
    // slow poll nor a failure moves the schedule: attempt i is due at
    // `now + i x stagger`, whatever happened before.
    let now = Instant::now();
    let due = |index: usize| {
        let turn = u32::try_from(index).ok()?;
        now.checked_add(stagger.checked_mul(turn)?)
    };

    // The attempts not yet sent, in order. A future does nothing until it is
    // polled, so an attempt sitting here has not started; one whose turn
    // never comes is dropped unstarted when we return.
    let mut not_sent = attempts.into_iter().enumerate().peekable();

    // The attempts that have started. No `tokio::spawn`: the set lives
    // inside this future, so dropping it (when we return, or when our
    // caller drops us) drops every attempt in it immediately. Spawned tasks
    // would need an explicit abort, and a wait for the aborts to land, to
    // promise the same.
    let mut racing = FuturesUnordered::new();
    let mut errors = Vec::new();

    loop {
        // The next backup's turn, if there is one the clock can reach.
        let next_turn = not_sent.peek().and_then(|(index, _)| due(*index));

        tokio::select! {
            // `biased`: look at the completions first, every time round. When
            // a success and a backup's turn land at the same instant, the
            // success has arrived "by then" and the backup must not be sent;
            // polling the set first settles that, whatever order the two
            // timers fired in.
            biased;

            // `next()` gives the started attempts in the order they
            // *complete*: Python's `wait(..., return_when=FIRST_COMPLETED)`
            // in a loop. With no attempt running it is `None`, which the
            // pattern refuses, so this branch sits out that round.
            Some((name, result)) = racing.next() => match result {
                // Returning drops `racing`, and with it every attempt still
                // running, and `not_sent` with those never started: the
                // losers are cancelled before our caller sees the winner.
                Ok(value) => return Ok((name, value)),
                // A failure is one replica's bad luck: remember it and keep
                // waiting for the others. It does not touch the schedule.
                Err(error) => errors.push((name, error)),
            },

            // The next backup's turn has come: send it. It is polled (it
            // starts) the next time round, still at this instant.
            () = sleep_until(next_turn.unwrap_or(now)), if next_turn.is_some() => {
                // `peek` just gave `Some`, so `next` does too.
                let (_, (name, attempt)) = not_sent.next().expect("peeked");
                racing.push(async move { (name, attempt.await) });
            }

            // Nothing running and no turn to wait for: every attempt that
            // was started has failed (or there were none). Each error is
            // here, in the order they came.
            else => return Err(errors),
        }
    }
}
