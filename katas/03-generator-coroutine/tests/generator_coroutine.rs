//! Kata 03 tests: a calculator actor that behaves like a generator coroutine.
//!
//! No test needs time to pass, but each runs on tokio's paused clock anyway,
//! and every call is wrapped in a timeout: a call that would hang (a reply
//! that never comes) fails at once, in virtual time, instead of stalling the
//! test run.

use std::time::Duration;

use generator_coroutine::{CalcError, Calculator, History};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// Awaits one call to the calculator, failing the test if it hangs.
async fn within_limit<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, call)
        .await
        .expect("the call never returned: a call must always get an answer, never hang")
}

fn history(results: &[i64], errors: &[&str]) -> History {
    History {
        results: results.to_vec(),
        errors: errors.iter().map(|error| error.to_string()).collect(),
    }
}

/// A new calculator answers its very first call: there is no priming step.
#[tokio::test(start_paused = true)]
async fn a_new_calculator_answers_at_once() {
    let calc = Calculator::start();

    assert_eq!(within_limit(calc.send(1, 2)).await, Ok(3));
}

/// Each call gets its own reply, in the order the calls were made.
#[tokio::test(start_paused = true)]
async fn replies_come_back_in_order() {
    let calc = Calculator::start();

    let replies = [
        within_limit(calc.send(1, 2)).await,
        within_limit(calc.send(100, 30)).await,
        within_limit(calc.send(666, 0)).await,
        within_limit(calc.send(-5, 2)).await,
    ];

    assert_eq!(replies, [Ok(3), Ok(130), Ok(666), Ok(-3)]);
}

/// The history lists every result, oldest first.
#[tokio::test(start_paused = true)]
async fn the_history_lists_every_result_in_order() {
    let calc = Calculator::start();
    for (a, b) in [(1, 2), (100, 30), (666, 0)] {
        within_limit(calc.send(a, b)).await.unwrap();
    }

    assert_eq!(
        within_limit(calc.history()).await,
        Ok(history(&[3, 130, 666], &[]))
    );
}

/// An injected error is handled: the call succeeds and the error is recorded.
#[tokio::test(start_paused = true)]
async fn an_injected_error_is_reported_in_the_history() {
    let calc = Calculator::start();

    assert_eq!(within_limit(calc.throw("disk full")).await, Ok(()));

    assert_eq!(
        within_limit(calc.history()).await,
        Ok(history(&[], &["disk full"])),
        "the injected error must be recorded in History::errors"
    );
}

/// The calculator survives an injected error with its state intact, and
/// carries on where it was.
#[tokio::test(start_paused = true)]
async fn an_injected_error_keeps_the_history() {
    let calc = Calculator::start();
    within_limit(calc.send(1, 2)).await.unwrap();
    within_limit(calc.send(100, 30)).await.unwrap();

    within_limit(calc.throw("disk full")).await.unwrap();
    let after = within_limit(calc.send(3, 4)).await;
    within_limit(calc.throw("timeout")).await.unwrap();

    assert_eq!(
        after,
        Ok(7),
        "the calculator must keep working after an error"
    );
    assert_eq!(
        within_limit(calc.history()).await,
        Ok(history(&[3, 130, 7], &["disk full", "timeout"])),
        "an error must not wipe the history: the generator handled it and kept its state"
    );
}

/// A sum that overflows is an error for that call only; nothing is recorded
/// and the calculator carries on.
#[tokio::test(start_paused = true)]
async fn an_overflow_is_an_error_and_the_calculator_survives() {
    let calc = Calculator::start();
    within_limit(calc.send(1, 2)).await.unwrap();

    let overflow = within_limit(calc.send(i64::MAX, 1)).await;
    let after = within_limit(calc.send(2, 2)).await;

    assert_eq!(overflow, Err(CalcError::Overflow { a: i64::MAX, b: 1 }));
    assert_eq!(after, Ok(4));
    assert_eq!(
        within_limit(calc.history()).await,
        Ok(history(&[3, 4], &[]))
    );
}

/// Closing returns the final history.
#[tokio::test(start_paused = true)]
async fn close_returns_the_final_history() {
    let calc = Calculator::start();
    within_limit(calc.send(1, 2)).await.unwrap();
    within_limit(calc.throw("disk full")).await.unwrap();
    within_limit(calc.send(10, 20)).await.unwrap();

    assert_eq!(
        within_limit(calc.close()).await,
        Ok(history(&[3, 30], &["disk full"]))
    );
}

/// After close, every kind of call fails at once with `Closed`: no hang, no
/// panic, no answer from a calculator that should be gone.
#[tokio::test(start_paused = true)]
async fn every_call_after_close_is_a_clear_error() {
    let calc = Calculator::start();
    within_limit(calc.send(1, 2)).await.unwrap();
    within_limit(calc.close()).await.unwrap();

    assert_eq!(within_limit(calc.send(1, 1)).await, Err(CalcError::Closed));
    assert_eq!(
        within_limit(calc.throw("late")).await,
        Err(CalcError::Closed)
    );
    assert_eq!(within_limit(calc.history()).await, Err(CalcError::Closed));
    assert_eq!(
        within_limit(calc.close()).await,
        Err(CalcError::Closed),
        "closing twice must say the calculator is closed"
    );
    assert_eq!(CalcError::Closed.to_string(), "the calculator is closed");
}

/// Clones are handles to the same calculator: one history, and closing
/// through one handle closes it for all.
#[tokio::test(start_paused = true)]
async fn clones_share_one_calculator() {
    let calc = Calculator::start();
    let other = calc.clone();

    within_limit(calc.send(1, 2)).await.unwrap();
    within_limit(other.send(3, 4)).await.unwrap();
    let closed = within_limit(other.close()).await;

    assert_eq!(closed, Ok(history(&[3, 7], &[])));
    assert_eq!(
        within_limit(calc.send(5, 6)).await,
        Err(CalcError::Closed),
        "closing through one handle must close the calculator for every handle"
    );
}

/// Calls made before a close are answered; calls queued behind it fail with
/// `Closed` instead of waiting forever.
#[tokio::test(start_paused = true)]
async fn calls_queued_behind_close_fail_instead_of_hanging() {
    let calc = Calculator::start();

    // `join!` sends the three requests in this order before any is answered.
    let (before, closed, after) =
        within_limit(async { tokio::join!(calc.send(1, 1), calc.close(), calc.send(2, 2)) }).await;

    assert_eq!(before, Ok(2));
    assert_eq!(closed, Ok(history(&[2], &[])));
    assert_eq!(
        after,
        Err(CalcError::Closed),
        "a call queued behind close must fail with Closed"
    );
}

/// Fifty callers in their own tasks are each answered once, with their own
/// sum, and every sum is in the history.
#[tokio::test(start_paused = true)]
async fn many_concurrent_callers_each_get_their_own_reply() {
    let calc = Calculator::start();

    let callers: Vec<_> = (0..50)
        .map(|i| {
            let calc = calc.clone();
            tokio::spawn(async move { (i, within_limit(calc.send(i, 1000)).await) })
        })
        .collect();
    for caller in callers {
        let (i, reply) = match caller.await {
            Ok(answer) => answer,
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        };
        assert_eq!(reply, Ok(i + 1000), "caller {i} got someone else's reply");
    }

    let mut results = within_limit(calc.history()).await.unwrap().results;
    results.sort_unstable();
    assert_eq!(results, (1000..1050).collect::<Vec<_>>());
}
