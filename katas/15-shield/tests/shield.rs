//! Kata 15 tests: a write that survives its caller, on tokio's paused clock.
//!
//! The `Store` records when each write completed and counts the writes that
//! were dropped halfway ("interrupted"). The caller gives up through
//! `tokio::time::timeout`, which drops `place_order` at the limit; the tests
//! then let virtual time run on and look at what the store holds.
//!
//! Timeline of one order: validate 0–100 ms, write 100–400 ms, receipt
//! 400–500 ms.

use std::sync::Arc;
use std::time::Duration;

use shield::{Store, place_order, shield};
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Lets every detached task run to its end: long after any order finishes.
async fn let_everything_settle() {
    sleep(Duration::from_secs(10)).await;
}

/// An order nobody interrupts is validated, written and receipted, in 500 ms.
#[tokio::test(start_paused = true)]
async fn an_uninterrupted_order_is_written_then_receipted() {
    let store = Arc::new(Store::new());
    let start = Instant::now();

    timeout(LIMIT, place_order(Arc::clone(&store), 1, "tea"))
        .await
        .expect("place_order never finished");

    assert_eq!(
        start.elapsed(),
        ms(500),
        "validate 100 + write 300 + receipt 100 ms"
    );
    assert_eq!(store.record(1).as_deref(), Some("order 1: tea"));
    assert_eq!(store.written_at(1), Some(ms(400)));
    assert_eq!(store.receipts(), [1]);
}

/// The receipt follows the write's real end, however long the write takes:
/// `place_order` waits for the shielded write, not for a fixed time.
#[tokio::test(start_paused = true)]
async fn the_receipt_waits_for_the_write_however_long_it_takes() {
    let store = Arc::new(Store::with_write_time(ms(1000)));
    let start = Instant::now();

    timeout(LIMIT, place_order(Arc::clone(&store), 1, "tea"))
        .await
        .expect("place_order never finished");

    assert_eq!(store.written_at(1), Some(ms(1100)));
    assert_eq!(
        start.elapsed(),
        ms(1200),
        "validate 100 + a 1000 ms write + receipt 100 ms: await the shielded write itself"
    );
    assert_eq!(store.receipts(), [1]);
}

/// The caller gives up at 250 ms, in the middle of the write: it gets its
/// time-out at once, and the write still completes, at 400 ms.
#[tokio::test(start_paused = true)]
async fn a_caller_giving_up_during_the_write_does_not_stop_it() {
    let store = Arc::new(Store::new());
    let start = Instant::now();

    let result = timeout(ms(250), place_order(Arc::clone(&store), 1, "tea")).await;

    assert!(
        result.is_err(),
        "the caller's limit of 250 ms must still apply"
    );
    assert_eq!(
        start.elapsed(),
        ms(250),
        "the shield must not keep the caller waiting"
    );
    assert_eq!(
        store.record(1),
        None,
        "the write takes until 400 ms; it cannot be done yet"
    );

    let_everything_settle().await;

    assert_eq!(
        store.interrupted_writes(),
        0,
        "the write was cancelled along with its caller: it was awaited directly, not shielded"
    );
    assert_eq!(
        store.written_at(1),
        Some(ms(400)),
        "the write must complete on its own schedule"
    );
    assert_eq!(store.record(1).as_deref(), Some("order 1: tea"));
}

/// Giving up before the write begins means no write: only the write is
/// shielded, not the validation before it.
#[tokio::test(start_paused = true)]
async fn a_caller_giving_up_during_validation_writes_nothing() {
    let store = Arc::new(Store::new());

    let result = timeout(ms(50), place_order(Arc::clone(&store), 1, "tea")).await;
    let_everything_settle().await;

    assert!(result.is_err());
    assert_eq!(
        store.record(1),
        None,
        "the order was abandoned during validation: it must not be written"
    );
    assert_eq!(
        store.interrupted_writes(),
        0,
        "no write should even have begun"
    );
    assert_eq!(store.receipts(), [] as [u32; 0]);
}

/// The receipt after the write is not shielded: a caller who has gone gets
/// no receipt, although the write it asked for is done.
#[tokio::test(start_paused = true)]
async fn the_receipt_is_not_shielded() {
    let store = Arc::new(Store::new());

    let result = timeout(ms(450), place_order(Arc::clone(&store), 1, "tea")).await;
    let_everything_settle().await;

    assert!(result.is_err());
    assert_eq!(store.written_at(1), Some(ms(400)));
    assert_eq!(
        store.receipts(),
        [] as [u32; 0],
        "only the write is critical; shielding the whole handler sends receipts to callers who left"
    );
}

/// Orders abandoned mid-write, side by side, are all written.
#[tokio::test(start_paused = true)]
async fn every_abandoned_write_completes() {
    let store = Arc::new(Store::new());

    let items = ["tea", "jam", "rye", "oat", "fig"];
    let callers: Vec<_> = (1..=5)
        .zip(items)
        .map(|(id, item)| {
            let order = place_order(Arc::clone(&store), id, item);
            tokio::spawn(timeout(ms(200), order))
        })
        .collect();
    for caller in callers {
        let result = caller.await.expect("a caller panicked");
        assert!(result.is_err(), "every caller gives up at 200 ms");
    }
    let_everything_settle().await;

    for (id, item) in (1..=5).zip(items) {
        assert_eq!(
            store.written_at(id),
            Some(ms(400)),
            "order {id} was not written"
        );
        assert_eq!(
            store.record(id),
            Some(format!("order {id}: {item}")),
            "order {id} was written with the wrong record"
        );
    }
    assert_eq!(store.interrupted_writes(), 0);
}

/// Awaited to the end, `shield` gives the work's output, after the work's time.
#[tokio::test(start_paused = true)]
async fn shield_gives_the_output_of_the_work() {
    let start = Instant::now();

    let output = timeout(
        LIMIT,
        shield(async {
            sleep(ms(300)).await;
            42
        }),
    )
    .await
    .expect("the shielded work never finished");

    assert_eq!(output, 42);
    assert_eq!(start.elapsed(), ms(300));
}

/// The shielded work starts when `shield` is called, as in Python: even if
/// the returned future is dropped without ever being polled, the work is done.
#[tokio::test(start_paused = true)]
async fn shield_starts_the_work_at_once() {
    let store = Arc::new(Store::new());
    let writer = Arc::clone(&store);

    let shielded = shield(async move { writer.write(7, "seven".to_owned()).await });
    drop(shielded);
    let_everything_settle().await;

    assert_eq!(
        store.written_at(7),
        Some(ms(300)),
        "the work must be started by shield() itself, not by the first poll of its future"
    );
    assert_eq!(store.interrupted_writes(), 0);
}

/// A panic in the shielded work reaches the caller that awaits it, with its
/// own message.
#[tokio::test(start_paused = true)]
async fn a_panic_in_the_shielded_work_reaches_the_caller() {
    let caller = tokio::spawn(shield(async {
        sleep(ms(100)).await;
        panic!("disk on fire");
    }));

    let error = timeout(LIMIT, caller)
        .await
        .expect("the caller never finished")
        .expect_err("the caller should have panicked with the work's panic");

    assert!(error.is_panic());
    let payload = error.into_panic();
    assert_eq!(
        payload.downcast_ref::<&str>().copied(),
        Some("disk on fire"),
        "re-raise the work's own panic (resume_unwind), not a new one"
    );
}
