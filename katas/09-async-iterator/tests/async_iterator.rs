//! Kata 09 tests: two streams of sensor readings, timed on tokio's paused clock.
//!
//! Every claim is checked twice: once for the hand-written `readings` and once
//! for the `async_stream` version `readings_gen`. With `start_paused = true`
//! the clock jumps straight to the next timer, so "one second after it was
//! asked for" is exact, and `Sensor::produced` shows what was produced when.

use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use async_iterator::{Sensor, readings, readings_gen};
use futures::task::{ArcWake, waker};
use futures::{Stream, StreamExt};
use tokio::time::{Instant, advance, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(24 * 3600);

const SECOND: Duration = Duration::from_secs(1);

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

/// The next item, or a failed test if the stream hangs.
async fn next_within_limit<S: Stream<Item = u64> + Unpin>(stream: &mut S) -> Option<u64> {
    timeout(LIMIT, stream.next())
        .await
        .expect("the stream never yielded its next item (or its end)")
}

/// A waker that counts how often it was woken: a test polls the stream by
/// hand with it to see when (and how often) the stream asks to be polled again.
#[derive(Default)]
struct WakeCounter(AtomicUsize);

impl ArcWake for WakeCounter {
    fn wake_by_ref(counter: &Arc<Self>) {
        counter.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl WakeCounter {
    fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Polls `stream` once, by hand, with the counting waker.
fn poll_once<S: Stream<Item = u64>>(
    stream: Pin<&mut S>,
    counter: &Arc<WakeCounter>,
) -> Poll<Option<u64>> {
    let waker = waker(counter.clone());
    stream.poll_next(&mut Context::from_waker(&waker))
}

/// Lets any other task run for a moment (without moving the clock), so that a
/// stream that works through a helper task is not judged too early.
async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

async fn yields_the_readings_in_order<S: Stream<Item = u64>>(make: fn(Sensor, u64, Duration) -> S) {
    let stream = make(Sensor::new(), 3, SECOND);

    let items: Vec<u64> = timeout(LIMIT, stream.collect())
        .await
        .expect("the stream never ended");

    assert_eq!(
        items,
        [10, 20, 30],
        "reading n should be sensor.read(n), n from 1"
    );
}

async fn yields_each_reading_one_interval_after_it_is_asked_for<S: Stream<Item = u64>>(
    make: fn(Sensor, u64, Duration) -> S,
) {
    let mut stream = pin!(make(Sensor::new(), 3, SECOND));
    let start = Instant::now();

    for (n, expected) in [(1, 10), (2, 20), (3, 30)] {
        assert_eq!(next_within_limit(&mut stream).await, Some(expected));
        assert_eq!(
            start.elapsed(),
            secs(n),
            "reading {n} should come {n} s after the start, one second after reading {}",
            n - 1
        );
    }
    assert_eq!(next_within_limit(&mut stream).await, None);
    assert_eq!(
        start.elapsed(),
        secs(3),
        "the end of the stream should cost no extra wait"
    );
}

async fn takes_no_reading_before_it_is_asked_for<S: Stream<Item = u64>>(
    make: fn(Sensor, u64, Duration) -> S,
) {
    let sensor = Sensor::new();
    let mut stream = pin!(make(sensor.clone(), 3, SECOND));

    sleep(secs(10)).await;
    assert_eq!(
        sensor.produced(),
        0,
        "readings were taken before anyone asked for them"
    );

    let start = Instant::now();
    assert_eq!(next_within_limit(&mut stream).await, Some(10));
    assert_eq!(
        start.elapsed(),
        SECOND,
        "the wait for a reading must start when it is asked for, not when the stream is built"
    );
}

async fn takes_each_reading_only_when_it_is_asked_for<S: Stream<Item = u64>>(
    make: fn(Sensor, u64, Duration) -> S,
) {
    let sensor = Sensor::new();
    let mut stream = pin!(make(sensor.clone(), 5, SECOND));

    for n in 1..=5 {
        next_within_limit(&mut stream).await;
        assert_eq!(
            sensor.produced(),
            n,
            "after {n} items were asked for, {} readings were taken: the stream runs ahead",
            sensor.produced()
        );
    }
}

async fn dropping_the_stream_stops_the_readings<S: Stream<Item = u64>>(
    make: fn(Sensor, u64, Duration) -> S,
) {
    let sensor = Sensor::new();
    let mut stream = Box::pin(make(sensor.clone(), 1000, SECOND));
    next_within_limit(&mut stream).await;
    next_within_limit(&mut stream).await;

    drop(stream);
    sleep(secs(3600)).await;

    assert_eq!(
        sensor.produced(),
        2,
        "the consumer took two items and dropped the stream, yet more readings were taken"
    );
}

async fn waits_the_interval_it_was_given<S: Stream<Item = u64>>(
    make: fn(Sensor, u64, Duration) -> S,
) {
    for every in [Duration::from_millis(250), secs(3600)] {
        let mut stream = pin!(make(Sensor::new(), 2, every));
        let start = Instant::now();

        assert_eq!(next_within_limit(&mut stream).await, Some(10));
        assert_eq!(next_within_limit(&mut stream).await, Some(20));
        assert_eq!(
            start.elapsed(),
            every * 2,
            "two readings {every:?} apart should take {:?}: use `every`, not a fixed wait",
            every * 2
        );
    }
}

async fn a_slow_consumer_still_waits_a_full_interval<S: Stream<Item = u64>>(
    make: fn(Sensor, u64, Duration) -> S,
) {
    let mut stream = pin!(make(Sensor::new(), 3, secs(2)));
    let start = Instant::now();
    assert_eq!(next_within_limit(&mut stream).await, Some(10));

    // The consumer is busy for 5 s before it asks for the next reading.
    sleep(secs(5)).await;
    let asked = Instant::now();
    assert_eq!(next_within_limit(&mut stream).await, Some(20));

    assert_eq!(
        asked.elapsed(),
        secs(2),
        "reading 2 was asked for at {:?} and should come 2 s later; it came after {:?}: \
         the wait must start when a reading is asked for (no interval, schedule or timer \
         re-armed when the previous reading was handed out)",
        asked - start,
        asked.elapsed()
    );
}

async fn takes_the_reading_only_when_its_wait_is_over<S: Stream<Item = u64>>(
    make: fn(Sensor, u64, Duration) -> S,
) {
    let sensor = Sensor::new();
    let mut stream = pin!(make(sensor.clone(), 3, SECOND));
    let counter = Arc::new(WakeCounter::default());
    let asked = Instant::now();

    assert_eq!(poll_once(stream.as_mut(), &counter), Poll::Pending);
    settle().await;
    advance(Duration::from_millis(999)).await;
    assert_eq!(
        sensor.produced(),
        0,
        "the reading was taken when its wait started; take it when the wait is over"
    );

    assert_eq!(next_within_limit(&mut stream).await, Some(10));
    assert_eq!(
        asked.elapsed(),
        SECOND,
        "the reading should come when its wait is over"
    );
    assert_eq!(sensor.produced(), 1);
}

async fn sleeps_on_its_timer_instead_of_waking_itself<S: Stream<Item = u64>>(
    make: fn(Sensor, u64, Duration) -> S,
) {
    let mut stream = pin!(make(Sensor::new(), 3, SECOND));
    let counter = Arc::new(WakeCounter::default());

    assert_eq!(poll_once(stream.as_mut(), &counter), Poll::Pending);
    settle().await;
    advance(Duration::from_millis(999)).await;
    assert_eq!(
        counter.wakes(),
        0,
        "the stream asked to be polled again before its reading was due: a busy loop \
         (wake_by_ref and Pending) instead of waiting on a timer"
    );

    advance(Duration::from_millis(1)).await;
    settle().await;
    assert!(
        counter.wakes() >= 1,
        "the reading is due but the task was never woken: poll the timer with the \
         `Context` you were given, so that it registers the waker"
    );
}

async fn dropping_the_stream_mid_wait_stops_the_readings<S: Stream<Item = u64>>(
    make: fn(Sensor, u64, Duration) -> S,
) {
    let sensor = Sensor::new();
    let mut stream = Box::pin(make(sensor.clone(), 1000, SECOND));
    next_within_limit(&mut stream).await;
    next_within_limit(&mut stream).await;

    // Ask for the third reading, and give up half-way through its wait.
    let gave_up = timeout(Duration::from_millis(500), stream.next()).await;
    assert!(gave_up.is_err(), "reading 3 came before its wait was over");
    drop(stream);
    sleep(secs(3600)).await;

    assert_eq!(
        sensor.produced(),
        2,
        "the stream was dropped while waiting for reading 3, yet reading 3 was taken: \
         the wait must belong to the stream (no spawned task that outlives it)"
    );
}

async fn an_empty_stream_ends_at_once<S: Stream<Item = u64>>(make: fn(Sensor, u64, Duration) -> S) {
    let sensor = Sensor::new();
    let mut stream = pin!(make(sensor.clone(), 0, SECOND));
    let start = Instant::now();

    assert_eq!(next_within_limit(&mut stream).await, None);
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "an empty stream should not wait"
    );
    assert_eq!(sensor.produced(), 0);
}

/// Hand-written: three readings, in order, with the sensor's values.
#[tokio::test(start_paused = true)]
async fn hand_written_yields_the_readings_in_order() {
    yields_the_readings_in_order(readings).await;
}

/// Generator: three readings, in order, with the sensor's values.
#[tokio::test(start_paused = true)]
async fn generator_yields_the_readings_in_order() {
    yields_the_readings_in_order(readings_gen).await;
}

/// Hand-written: reading n arrives at exactly n seconds; the end costs nothing.
#[tokio::test(start_paused = true)]
async fn hand_written_yields_each_reading_one_interval_after_it_is_asked_for() {
    yields_each_reading_one_interval_after_it_is_asked_for(readings).await;
}

/// Generator: reading n arrives at exactly n seconds; the end costs nothing.
#[tokio::test(start_paused = true)]
async fn generator_yields_each_reading_one_interval_after_it_is_asked_for() {
    yields_each_reading_one_interval_after_it_is_asked_for(readings_gen).await;
}

/// Hand-written: a stream nobody polls takes no reading, and starts waiting when asked.
#[tokio::test(start_paused = true)]
async fn hand_written_takes_no_reading_before_it_is_asked_for() {
    takes_no_reading_before_it_is_asked_for(readings).await;
}

/// Generator: a stream nobody polls takes no reading, and starts waiting when asked.
#[tokio::test(start_paused = true)]
async fn generator_takes_no_reading_before_it_is_asked_for() {
    takes_no_reading_before_it_is_asked_for(readings_gen).await;
}

/// Hand-written: after n items, exactly n readings were taken (no running ahead).
#[tokio::test(start_paused = true)]
async fn hand_written_takes_each_reading_only_when_it_is_asked_for() {
    takes_each_reading_only_when_it_is_asked_for(readings).await;
}

/// Generator: after n items, exactly n readings were taken (no running ahead).
#[tokio::test(start_paused = true)]
async fn generator_takes_each_reading_only_when_it_is_asked_for() {
    takes_each_reading_only_when_it_is_asked_for(readings_gen).await;
}

/// Hand-written: take 2 of 1000 readings, drop the stream: no third reading, ever.
#[tokio::test(start_paused = true)]
async fn hand_written_dropping_the_stream_stops_the_readings() {
    dropping_the_stream_stops_the_readings(readings).await;
}

/// Generator: take 2 of 1000 readings, drop the stream: no third reading, ever.
#[tokio::test(start_paused = true)]
async fn generator_dropping_the_stream_stops_the_readings() {
    dropping_the_stream_stops_the_readings(readings_gen).await;
}

/// Hand-written: readings 250 ms apart and one hour apart take 2 × `every`.
#[tokio::test(start_paused = true)]
async fn hand_written_waits_the_interval_it_was_given() {
    waits_the_interval_it_was_given(readings).await;
}

/// Generator: readings 250 ms apart and one hour apart take 2 × `every`.
#[tokio::test(start_paused = true)]
async fn generator_waits_the_interval_it_was_given() {
    waits_the_interval_it_was_given(readings_gen).await;
}

/// Hand-written: a consumer busy for 5 s still waits the full 2 s for the next reading.
#[tokio::test(start_paused = true)]
async fn hand_written_a_slow_consumer_still_waits_a_full_interval() {
    a_slow_consumer_still_waits_a_full_interval(readings).await;
}

/// Generator: a consumer busy for 5 s still waits the full 2 s for the next reading.
#[tokio::test(start_paused = true)]
async fn generator_a_slow_consumer_still_waits_a_full_interval() {
    a_slow_consumer_still_waits_a_full_interval(readings_gen).await;
}

/// Hand-written: no reading is taken while its wait runs (polled by hand).
#[tokio::test(start_paused = true)]
async fn hand_written_takes_the_reading_only_when_its_wait_is_over() {
    takes_the_reading_only_when_its_wait_is_over(readings).await;
}

/// Generator: no reading is taken while its wait runs (polled by hand).
#[tokio::test(start_paused = true)]
async fn generator_takes_the_reading_only_when_its_wait_is_over() {
    takes_the_reading_only_when_its_wait_is_over(readings_gen).await;
}

/// Hand-written: while waiting, the task is not woken until the reading is due.
#[tokio::test(start_paused = true)]
async fn hand_written_sleeps_on_its_timer_instead_of_waking_itself() {
    sleeps_on_its_timer_instead_of_waking_itself(readings).await;
}

/// Generator: while waiting, the task is not woken until the reading is due.
#[tokio::test(start_paused = true)]
async fn generator_sleeps_on_its_timer_instead_of_waking_itself() {
    sleeps_on_its_timer_instead_of_waking_itself(readings_gen).await;
}

/// Hand-written: dropped half-way through a wait, no reading is taken after.
#[tokio::test(start_paused = true)]
async fn hand_written_dropping_the_stream_mid_wait_stops_the_readings() {
    dropping_the_stream_mid_wait_stops_the_readings(readings).await;
}

/// Generator: dropped half-way through a wait, no reading is taken after.
#[tokio::test(start_paused = true)]
async fn generator_dropping_the_stream_mid_wait_stops_the_readings() {
    dropping_the_stream_mid_wait_stops_the_readings(readings_gen).await;
}

/// Hand-written: zero readings end at once.
#[tokio::test(start_paused = true)]
async fn hand_written_empty_stream_ends_at_once() {
    an_empty_stream_ends_at_once(readings).await;
}

/// Generator: zero readings end at once.
#[tokio::test(start_paused = true)]
async fn generator_empty_stream_ends_at_once() {
    an_empty_stream_ends_at_once(readings_gen).await;
}
