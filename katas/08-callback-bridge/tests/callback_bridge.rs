//! Kata 08 tests: an async bridge over a callback API that answers on other threads.
//!
//! The legacy client answers from real OS threads after a real delay. A value
//! sent from another thread does not mix with tokio's paused clock (the
//! runtime would see itself idle and jump its clock), so most tests run in
//! real time: delays of tens of milliseconds, and wide margins instead of
//! exact equality. Only the callback that never fires, where no other thread
//! ever sends anything, is timed on the paused clock, exactly.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use callback_bridge::{Behaviour, BridgeError, LegacyClient, lookup};
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

/// The value the legacy callback receives is what the async lookup returns.
#[tokio::test]
async fn a_lookup_returns_the_value_its_callback_receives() {
    let client = LegacyClient::new(ms(20), Behaviour::Correct);

    let value = guarded_lookup(&client, "answer", GENEROUS_LIMIT).await;

    assert_eq!(value.as_deref(), Ok("value of answer"));
    assert_eq!(client.join_threads(), 0, "a legacy thread panicked");
}

/// Ten lookups of 100 ms wait together: about 100 ms in all, not a second.
#[tokio::test]
async fn ten_lookups_wait_together() {
    let client = LegacyClient::new(ms(100), Behaviour::Correct);
    let keys: Vec<String> = (0..10).map(|i| format!("key{i}")).collect();
    let start = std::time::Instant::now();

    let values = timeout(
        GUARD,
        futures::future::join_all(keys.iter().map(|key| lookup(&client, key, GENEROUS_LIMIT))),
    )
    .await
    .expect("the lookups never finished");

    let elapsed = start.elapsed();
    assert_eq!(
        client.peak_in_flight(),
        10,
        "the lookups were not all in flight at once: waiting for one blocked the others"
    );
    assert!(
        elapsed < ms(500),
        "ten 100 ms lookups took {elapsed:?}: they ran one after another"
    );
    for (key, value) in keys.iter().zip(values) {
        assert_eq!(value, Ok(format!("value of {key}")));
    }
    assert_eq!(client.join_threads(), 0, "a legacy thread panicked");
}

/// While a lookup waits for its callback, other tasks on the same thread run.
#[tokio::test]
async fn other_tasks_keep_running_while_a_lookup_waits() {
    let client = LegacyClient::new(ms(150), Behaviour::Correct);
    let ticks = Arc::new(AtomicUsize::new(0));
    // A heartbeat on the same (current-thread) runtime: it ticks every 10 ms
    // only if the worker thread is free to run it.
    let heartbeat = tokio::spawn({
        let ticks = Arc::clone(&ticks);
        async move {
            loop {
                tokio::time::sleep(ms(10)).await;
                ticks.fetch_add(1, Ordering::SeqCst);
            }
        }
    });

    let value = guarded_lookup(&client, "slow", GENEROUS_LIMIT).await;

    let ticked = ticks.load(Ordering::SeqCst);
    heartbeat.abort();
    assert_eq!(value.as_deref(), Ok("value of slow"));
    assert!(
        ticked >= 5,
        "the heartbeat ticked {ticked} times during a 150 ms lookup: \
         the lookup blocked the worker thread instead of awaiting"
    );
    assert_eq!(client.join_threads(), 0, "a legacy thread panicked");
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

/// A callback that fires after the caller gave up does not panic.
#[tokio::test]
async fn a_callback_after_the_timeout_is_harmless() {
    let client = LegacyClient::new(ms(100), Behaviour::Correct);

    let value = guarded_lookup(&client, "late", ms(20)).await;

    assert_eq!(value, Err(BridgeError::TimedOut));
    // Wait for the late callback to fire into a receiver that is gone.
    assert_eq!(
        client.join_threads(),
        0,
        "the callback panicked on the legacy thread when it fired after the timeout"
    );
}
