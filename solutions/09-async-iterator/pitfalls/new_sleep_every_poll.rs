//! Pitfall: creating a new `Sleep` in every call of `poll_next`.
//!
//! The timer is not kept between polls, so each poll starts a fresh wait.
//! When the wait ends, the timer wakes the task, the task polls again, and
//! that poll starts another full wait: the reading never comes.
//!
//! Caught by: hand_written_yields_each_reading_one_interval_after_it_is_asked_for

#[path = "../src/lib.rs"]
mod given;
pub use given::{Sensor, readings_gen};

use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures::Stream;
use tokio::time::sleep;

pub fn readings(sensor: Sensor, count: u64, every: Duration) -> Readings {
    Readings {
        sensor,
        next: 1,
        count,
        every,
    }
}

pub struct Readings {
    sensor: Sensor,
    next: u64,
    count: u64,
    every: Duration,
}

impl Stream for Readings {
    type Item = u64;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.next > self.count {
            return Poll::Ready(None);
        }
        // The wrong answer: a new timer on every poll, dropped when poll returns.
        let mut wait = Box::pin(sleep(self.every));
        ready!(wait.as_mut().poll(cx));
        let n = self.next;
        self.next += 1;
        Poll::Ready(Some(self.sensor.read(n)))
    }
}
