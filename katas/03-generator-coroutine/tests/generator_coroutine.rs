//! Kata 03 tests: a calculator actor that behaves like a generator coroutine.
//!
//! No test needs time to pass, but each runs on tokio's paused clock anyway,
//! and every call is wrapped in a timeout: a call that would hang (a reply
//! that never comes) fails at once, in virtual time, instead of stalling the
//! test run.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use generator_coroutine::{CalcError, Calculator, History};
use tokio::runtime::Handle;

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// How long a calculator is left alone to show that it does not time out.
const HOUR: Duration = Duration::from_secs(3600);

/// The tasks alive on this test's runtime (the test's own body is not one).
fn alive_tasks() -> usize {
    Handle::current().metrics().num_alive_tasks()
}

/// Lets every task that can run, run (the paused clock moves only when none can).
async fn settle() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

/// Polls `future` exactly once, whatever that poll returns.
async fn poll_once<F: Future + ?Sized>(future: Pin<&mut F>) {
    let mut future = Some(future);
    std::future::poll_fn(|cx| {
        let _ = future.take().expect("polled once").poll(cx);
        Poll::Ready(())
    })
    .await;
}

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

/// A sum below `i64::MIN` is an overflow too, for that call only.
#[tokio::test(start_paused = true)]
async fn an_overflow_below_the_minimum_is_an_error_too() {
    let calc = Calculator::start();

    let overflow = within_limit(calc.send(i64::MIN, -1)).await;
    let after = within_limit(calc.send(-2, -2)).await;

    assert_eq!(
        overflow,
        Err(CalcError::Overflow { a: i64::MIN, b: -1 }),
        "i64::MIN + -1 does not fit either: overflow can happen in both directions"
    );
    assert_eq!(after, Ok(-4));
    assert_eq!(within_limit(calc.history()).await, Ok(history(&[-4], &[])));
}

/// Sums that land exactly on the limits of `i64` fit: they are not overflows.
#[tokio::test(start_paused = true)]
async fn sums_at_the_limits_of_i64_are_not_overflows() {
    let calc = Calculator::start();

    let replies = [
        within_limit(calc.send(i64::MAX, 0)).await,
        within_limit(calc.send(i64::MIN, 0)).await,
        within_limit(calc.send(i64::MAX, i64::MIN)).await,
        within_limit(calc.send(-1, -i64::MAX)).await,
        within_limit(calc.send(i64::MAX - 1, 1)).await,
    ];

    assert_eq!(
        replies,
        [
            Ok(i64::MAX),
            Ok(i64::MIN),
            Ok(-1),
            Ok(i64::MIN),
            Ok(i64::MAX)
        ],
        "a sum that fits in an i64 is never an overflow"
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

/// The actor is a task that lives from `start` to `close`: spawned by
/// `start`, gone once `close` has been answered.
#[tokio::test(start_paused = true)]
async fn the_actor_task_ends_when_closed() {
    let before = alive_tasks();
    let calc = Calculator::start();
    assert!(
        alive_tasks() > before,
        "start must spawn the actor: a task that owns the history"
    );

    within_limit(calc.close()).await.unwrap();
    settle().await;

    assert_eq!(
        alive_tasks(),
        before,
        "the actor task is still alive after close: it must end (return from its \
         loop), not linger to answer Closed"
    );
}

/// When every handle is dropped, nobody can ask anything any more, and the
/// actor ends by itself (as an unreferenced generator is closed).
#[tokio::test(start_paused = true)]
async fn dropping_every_handle_ends_the_actor() {
    let before = alive_tasks();
    {
        let calc = Calculator::start();
        let other = calc.clone();
        within_limit(other.send(1, 2)).await.unwrap();
    } // both handles are dropped here
    settle().await;

    assert_eq!(
        alive_tasks(),
        before,
        "no handle is left, yet the actor task lives on: it must end when its \
         mailbox has no senders"
    );
}

/// A calculator left alone for an hour still answers: it ends when closed,
/// never on a timer.
#[tokio::test(start_paused = true)]
async fn an_idle_calculator_still_answers_an_hour_later() {
    let calc = Calculator::start();
    within_limit(calc.send(1, 2)).await.unwrap();

    tokio::time::sleep(HOUR).await;

    assert_eq!(
        within_limit(calc.send(3, 4)).await,
        Ok(7),
        "an hour without calls closed the calculator: only close may do that"
    );
}

/// Callers that give up part-way (their calls dropped while their requests
/// wait in the mailbox, or wait for room in it) do not break the calculator:
/// a reply nobody waits for any more is not the actor's failure.
#[tokio::test(start_paused = true)]
async fn callers_that_give_up_do_not_break_the_calculator() {
    let calc = Calculator::start();
    {
        // Each call is polled once, so its request is queued (or waits for
        // room), and then dropped before the actor answers any of them.
        let mut calls: Vec<Pin<Box<dyn Future<Output = _>>>> = (0..1000)
            .map(|i| Box::pin(calc.send(i, 0)) as Pin<Box<dyn Future<Output = _>>>)
            .collect();
        for call in &mut calls {
            poll_once(call.as_mut()).await;
        }
    }
    settle().await;

    assert_eq!(
        within_limit(calc.send(1, 2)).await,
        Ok(3),
        "the calculator stopped after callers gave up: a failed reply (the caller \
         is gone) must not end the actor (no unwrap on reply.send)"
    );
    assert_eq!(
        within_limit(calc.history()).await.unwrap().results.last(),
        Some(&3)
    );
}

/// Five thousand callers at once: a full mailbox makes callers wait their
/// turn, never fail.
#[tokio::test(start_paused = true)]
async fn a_full_mailbox_makes_callers_wait_not_fail() {
    let calc = Calculator::start();

    let callers: Vec<_> = (0..5_000)
        .map(|i| {
            let calc = calc.clone();
            tokio::spawn(async move { within_limit(calc.send(i, 0)).await })
        })
        .collect();
    for (i, caller) in (0..).zip(callers) {
        let reply = match caller.await {
            Ok(reply) => reply,
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        };
        assert_eq!(
            reply,
            Ok(i),
            "caller {i} of 5000 was refused: callers must wait for room in the \
             mailbox (an await), not fail when it is full"
        );
    }
}

/// On many threads, callers racing a close: every call returns (none waits
/// forever for a reply), every sum answered `Ok` is in the final history, and
/// nothing else is. Repeated for a quarter of a second: each round is one
/// chance for a badly timed close.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_a_close_on_many_threads_no_call_hangs_and_the_history_is_exact() {
    /// Callers sending in a loop until the calculator is closed.
    const CALLERS: i64 = 3;
    /// At most this many calls each, a round: far more than fit before the close.
    const CALLS: i64 = 1000;
    /// A round that takes this long has hung (a round takes about a millisecond).
    const HUNG: Duration = Duration::from_secs(5);
    let started = std::time::Instant::now();
    let mut round: u32 = 0;
    while started.elapsed() < Duration::from_millis(250) {
        round += 1;
        let calc = Calculator::start();
        let callers: Vec<_> = (0..CALLERS)
            .map(|caller| {
                let calc = calc.clone();
                tokio::spawn(async move {
                    let mut answered = Vec::new();
                    // Bounded, so that a calculator that never makes a caller
                    // wait cannot keep a worker thread spinning.
                    for call in 0..CALLS {
                        match calc.send(caller << 32 | call, 0).await {
                            Ok(sum) => answered.push(sum),
                            Err(CalcError::Closed) => break,
                            Err(other) => panic!("a sum that fits failed: {other}"),
                        }
                    }
                    answered
                })
            })
            .collect();
        // Close after a few turns of the scheduler, varied round by round.
        let closer = tokio::spawn(async move {
            for _ in 0..round % 4 {
                tokio::task::yield_now().await;
            }
            calc.close().await.expect("the only close")
        });

        let everyone = async {
            let mut answered = Vec::new();
            for caller in callers {
                match caller.await {
                    Ok(sums) => answered.extend(sums),
                    Err(error) => std::panic::resume_unwind(error.into_panic()),
                }
            }
            match closer.await {
                Ok(history) => (history.results, answered),
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            }
        };
        let (mut recorded, mut answered) = tokio::time::timeout(HUNG, everyone)
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "round {round}: a call never returned. A request got into the mailbox \
                     just as the actor ended, and nobody dropped it: dropping the receiver \
                     drains the mailbox once, but a send already under way on another \
                     thread can land after that. On close, call `mailbox.close()`, then \
                     `recv` until it returns None"
                )
            });
        recorded.sort_unstable();
        answered.sort_unstable();
        assert_eq!(
            recorded, answered,
            "round {round}: the history close returned differs from the sums callers \
             were given: a call was answered but not recorded, or recorded after close"
        );
    }
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
