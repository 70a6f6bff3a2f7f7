//! Kata 09: an async iterator, twice.
//!
//! Write a stream of sensor readings two ways: [`readings`] by hand, as a
//! struct implementing [`Stream`] whose `poll_next` waits on a tokio timer
//! (like a Python class with `__anext__`), and [`readings_gen`] with
//! `async_stream::stream!` (like an `async def` generator with `yield`).
//! Both must be lazy: a reading is taken only when it is asked for.
//!
//! The [`Sensor`] is given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p async-iterator`, or `cargo xtask watch`.

mod given;
pub use given::Sensor;

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::Stream;

/// A stream of `count` readings from `sensor`. Each reading is taken `every`
/// after it is asked for, and none is taken before it is asked for.
///
/// Written by hand: see the `Stream` impl of [`Readings`].
pub fn readings(sensor: Sensor, count: u64, every: Duration) -> Readings {
    Readings {
        sensor,
        next: 1,
        count,
        every,
    }
}

/// The hand-written stream returned by [`readings`].
///
/// A starting point: add, rename or remove fields as you see fit.
pub struct Readings {
    sensor: Sensor,
    /// The number of the next reading to take (from 1).
    next: u64,
    count: u64,
    every: Duration,
    // TODO: the stream must remember, between polls, the timer it is waiting on
    // (a `tokio::time::Sleep`, which must be pinned to be polled).
}

impl Stream for Readings {
    type Item = u64;

    /// `Ready(Some(reading))` once the wait for the next reading is over,
    /// `Ready(None)` after `count` readings, `Pending` while waiting.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        // TODO: end the stream after `count` readings; otherwise start (or keep)
        // the wait for the next reading, poll it with `cx`, and take the reading
        // with `self.sensor.read(n)` only once the wait is over.
        todo!(
            "reading {} of {} from {:?}, every {:?}, for {:?}",
            self.next,
            self.count,
            self.sensor,
            self.every,
            cx.waker()
        )
    }
}

/// The same stream as [`readings`], written as an async generator with
/// `async_stream::stream!`.
pub fn readings_gen(sensor: Sensor, count: u64, every: Duration) -> impl Stream<Item = u64> {
    // TODO: replace this placeholder with `async_stream::stream! { … }`: a loop
    // that waits `every`, then `yield`s the reading.
    futures::stream::poll_fn(move |_cx| -> Poll<Option<u64>> {
        todo!("{count} readings from {sensor:?}, every {every:?}")
    })
}
