//! Kata 08 tests: an async bridge over a callback API that answers on other threads.
//!
//! The legacy client answers from real OS threads after a real delay. A value
//! sent from another thread does not mix with tokio's paused clock (the
//! runtime would see itself idle and jump its clock), so those tests run in
//! real time, with wide margins. Where a test needs to know *when* a callback
//! fires, the client keeps it until the test (or a task of its) calls
//! `release`: the order of events is then fixed, whatever the machine's load,
//! and a lookup that blocks its thread can be caught by the fact that the
//! task meant to release it never got to run.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use callback_bridge::{Behaviour, BridgeError, LegacyClient, lookup};
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// A guard around every lookup: a hang fails here instead of stalling the run.
const GUARD: Duration = Duration::from_secs(5);

/// A time limit no right answer comes near.
const GENEROUS_LIMIT: Duration = Duration::from_secs(2);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// `lookup`, but a hang fails the test instead of stalling it.
async fn guarded_lookup(
    client: &LegacyClient,
    key: &str,
    limit: Duration,
) -> Result<String, BridgeError> {
    timeout(GUARD, lookup(client, key, limit))
        .await
        .expect("lookup never returned")
}

/// Spawns a task that answers the client's held lookups (`release`) after
/// `after`, and returns how many it answered. On the test's current-thread
/// runtime it runs only once the test's own task waits, so only if the
/// lookups leave the thread free.
fn release_later(client: &Arc<LegacyClient>, after: Duration) -> JoinHandle<usize> {
    let client = Arc::clone(client);
    tokio::spawn(async move {
        if !after.is_zero() {
            tokio::time::sleep(after).await;
        }
        client.release()
    })
}

/// The value the legacy callback receives is what the async lookup returns.
#[tokio::test]
async fn a_lookup_returns_the_value_its_callback_receives() {
    let client = LegacyClient::new(ms(20), Behaviour::Correct);

    let value = guarded_lookup(&client, "answer", GENEROUS_LIMIT).await;

    assert_eq!(value.as_deref(), Ok("value of answer"));
    assert_eq!(client.join_threads(), 0, "a legacy thread panicked");
}

/// Ten lookups wait together: when another task on the same thread gets to
/// run, all ten are waiting for their callbacks, and its `release` answers
/// them all.
#[tokio::test]
async fn ten_lookups_wait_together() {
    let client = Arc::new(LegacyClient::new(
        Duration::ZERO,
        Behaviour::WaitsForRelease,
    ));
    let keys: Vec<String> = (0..10).map(|i| format!("key{i}")).collect();
    let releaser = release_later(&client, Duration::ZERO);

    let values = timeout(
        GUARD,
        futures::future::join_all(keys.iter().map(|key| lookup(&client, key, ms(100)))),
    )
    .await
    .expect("the lookups never finished");

    for (key, value) in keys.iter().zip(&values) {
        assert_eq!(
            value,
            &Ok(format!("value of {key}")),
            "the lookups did not all wait at once: the task that answers them could not \
             run until they had given up, so a lookup blocked the thread"
        );
    }
    let released = releaser.await.expect("the releasing task panicked");
    assert_eq!(
        released, 10,
        "only {released} lookups were waiting when another task got to run"
    );
    assert_eq!(client.peak_in_flight(), 10);
}

/// While a lookup waits for its callback, other tasks on the same thread run:
/// here the callback fires only when another task calls `release`, so the
/// lookup can only get its value if it leaves the thread free while it waits.
#[tokio::test]
async fn other_tasks_keep_running_while_a_lookup_waits() {
    let client = Arc::new(LegacyClient::new(
        Duration::ZERO,
        Behaviour::WaitsForRelease,
    ));
    let other_task = release_later(&client, Duration::ZERO);

    let value = guarded_lookup(&client, "slow", ms(100)).await;

    assert_eq!(
        value.as_deref(),
        Ok("value of slow"),
        "the answer comes only when another task on this thread runs, and it never \
         ran while the lookup waited: the lookup blocked the worker thread instead of \
         awaiting"
    );
    assert_eq!(other_task.await.expect("the other task panicked"), 1);
}

/// A callback that never fires ends in `TimedOut`, exactly at the limit.
///
/// No other thread sends anything here, so the paused clock tells the truth.
#[tokio::test(start_paused = true)]
async fn a_callback_that_never_fires_times_out() {
    let client = LegacyClient::new(ms(10), Behaviour::NeverCalls);
    let start = tokio::time::Instant::now();

    let value = guarded_lookup(&client, "lost", ms(200)).await;

    assert_eq!(value, Err(BridgeError::TimedOut));
    assert_eq!(
        start.elapsed(),
        ms(200),
        "the lookup should give up exactly at its limit"
    );
    assert_eq!(client.join_threads(), 0, "a legacy thread panicked");
}

/// A callback the legacy code drops unused is reported at once, as its own error.
#[tokio::test]
async fn a_dropped_callback_is_an_error_not_a_timeout() {
    let client = LegacyClient::new(ms(20), Behaviour::DropsCallback);
    let start = std::time::Instant::now();

    let value = guarded_lookup(&client, "forgotten", GENEROUS_LIMIT).await;

    assert_eq!(
        value,
        Err(BridgeError::CallbackDropped),
        "a callback dropped without being called is not a timeout"
    );
    assert!(
        start.elapsed() < GENEROUS_LIMIT / 2,
        "the lookup waited for its time limit although the callback was already gone"
    );
    assert_eq!(client.join_threads(), 0, "a legacy thread panicked");
}

/// A callback fired twice: the first value wins, and nothing panics.
#[tokio::test]
async fn a_callback_fired_twice_is_harmless() {
    let client = LegacyClient::new(ms(20), Behaviour::CallsTwice);

    let value = guarded_lookup(&client, "echo", GENEROUS_LIMIT).await;

    assert_eq!(value.as_deref(), Ok("value of echo"));
    assert_eq!(
        client.join_threads(),
        0,
        "the second call of the callback panicked on the legacy thread"
    );
}

/// A callback that fires after the caller gave up does not panic: the
/// lookup times out exactly at its limit, and only then is its callback
/// called, into a receiver that is gone.
#[tokio::test(start_paused = true)]
async fn a_callback_after_the_timeout_is_harmless() {
    let client = LegacyClient::new(Duration::ZERO, Behaviour::WaitsForRelease);
    let start = tokio::time::Instant::now();

    let value = guarded_lookup(&client, "late", ms(20)).await;

    assert_eq!(value, Err(BridgeError::TimedOut));
    assert_eq!(
        start.elapsed(),
        ms(20),
        "the lookup should give up exactly at its limit"
    );
    let late = catch_unwind(AssertUnwindSafe(|| client.release()));
    assert!(
        matches!(late, Ok(1)),
        "the callback panicked when it fired after the timeout: nobody waits for the \
         value any more, and that is no reason to crash the legacy library's thread"
    );
}

/// A callback fired before `lookup` even returns (the library had the answer
/// cached) is not lost.
#[tokio::test(start_paused = true)]
async fn a_callback_fired_before_the_legacy_lookup_returns_is_not_lost() {
    let client = LegacyClient::new(Duration::ZERO, Behaviour::CallsAtOnce);

    let value = guarded_lookup(&client, "cached", GENEROUS_LIMIT).await;

    assert_eq!(
        value.as_deref(),
        Ok("value of cached"),
        "the callback fired before the legacy lookup returned, and its value was lost: \
         the channel must keep a value sent before anyone waits for it"
    );
}

/// A future wrapper that counts how often its task polls it.
struct CountPolls<F> {
    inner: Pin<Box<F>>,
    polls: usize,
}

impl<F: Future> Future for CountPolls<F> {
    type Output = (F::Output, usize);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.polls += 1;
        let polls = self.polls;
        self.inner.as_mut().poll(cx).map(|output| (output, polls))
    }
}

/// A lookup that waits 200 ms for its answer is polled twice: once to start
/// waiting, once when the answer comes. It does not check for the answer
/// again and again while it waits.
#[tokio::test]
async fn a_waiting_lookup_is_polled_only_when_its_answer_comes() {
    let client = Arc::new(LegacyClient::new(
        Duration::ZERO,
        Behaviour::WaitsForRelease,
    ));
    let releaser = release_later(&client, ms(200));

    let counted = CountPolls {
        inner: Box::pin(lookup(&client, "patient", GENEROUS_LIMIT)),
        polls: 0,
    };
    let (value, polls) = timeout(GUARD, counted)
        .await
        .expect("lookup never returned");

    assert_eq!(value.as_deref(), Ok("value of patient"));
    assert_eq!(
        polls, 2,
        "the lookup was polled {polls} times while it waited 200 ms for one answer: it \
         polls for the answer (a sleep or a yield in a loop) instead of being woken \
         when it comes"
    );
    assert_eq!(releaser.await.expect("the releaser panicked"), 1);
}
