//! Kata 09, reference solution: async iterators (streams).
//!
//! An async iterator is an iterator whose `next` may have to wait. Rust calls
//! it a [`Stream`]: `poll_next` returns `Ready(Some(item))`, `Ready(None)` at
//! the end, or `Pending` (with the task's waker registered) while the next
//! item is not there yet.
//!
//! The same stream is written twice:
//!
//! - [`readings`] by hand: a struct that keeps its state between polls,
//!   including the pinned timer it is waiting on (Python's `__anext__`);
//! - [`readings_gen`] with `async_stream::stream!`, where a loop with `.await`
//!   and `yield` is turned into that state machine for us (Python's
//!   `async def` with `yield`).
//!
//! Both are lazy: a reading is taken only when the consumer asks for it, so a
//! consumer that stops early (drops the stream) stops the production too.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/09-async-iterator/src/given.rs"]
mod given;
pub use given::Sensor;

use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures::Stream;
use tokio::time::{Sleep, sleep};

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
        wait: None,
    }
}

/// The hand-written stream returned by [`readings`].
pub struct Readings {
    sensor: Sensor,
    /// The number of the next reading to take (from 1).
    next: u64,
    count: u64,
    every: Duration,
    /// The wait for the next reading: `None` until that reading is asked for.
    ///
    /// A `Sleep` must be pinned to be polled (it is registered with the timer
    /// by address). Boxing it pins it on the heap, so `Readings` itself stays
    /// `Unpin` and `poll_next` can use `self` as a plain `&mut`. It is kept
    /// across polls: creating a new `Sleep` on every poll would restart the
    /// wait each time the task is woken, and the reading would never come.
    wait: Option<Pin<Box<Sleep>>>,
}

impl Stream for Readings {
    type Item = u64;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        // Check the end first, like `__anext__` raising `StopAsyncIteration`
        // before it sleeps: the end of the stream costs no wait.
        if self.next > self.count {
            return Poll::Ready(None);
        }

        // The reading is asked for now: start its wait, unless it has started.
        let every = self.every;
        let wait = self.wait.get_or_insert_with(|| Box::pin(sleep(every)));

        // Not time yet: `Sleep::poll` registered our waker with the timer, so
        // `ready!` can return `Pending` and we will be polled again.
        ready!(wait.as_mut().poll(cx));

        // Time is up: take the reading, and forget the finished wait so that
        // the next reading's wait starts only when *it* is asked for.
        self.wait = None;
        let n = self.next;
        self.next += 1;
        Poll::Ready(Some(self.sensor.read(n)))
    }
}

/// The same stream as [`readings`], written as an async generator with
/// `async_stream::stream!`.
pub fn readings_gen(sensor: Sensor, count: u64, every: Duration) -> impl Stream<Item = u64> {
    // The macro turns this loop into a state machine much like `Readings`:
    // the body runs only while the stream is polled, it stops at each `yield`
    // until the consumer asks for the next item, and dropping the stream
    // drops the body mid-loop, so no more readings are taken.
    async_stream::stream! {
        for n in 1..=count {
            sleep(every).await;
            yield sensor.read(n);
        }
    }
}
