//! Kata 09 tests: two streams of sensor readings, timed on tokio's paused clock.
//!
//! Every claim is checked twice: once for the hand-written `readings` and once
//! for the `async_stream` version `readings_gen`. With `start_paused = true`
//! the clock jumps straight to the next timer, so "one second after it was
//! asked for" is exact, and `Sensor::produced` shows what was produced when.

use std::pin::pin;
use std::time::Duration;

use async_iterator::{Sensor, readings, readings_gen};
use futures::{Stream, StreamExt};
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(3600);

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
