//! Pitfall: taking every reading up front, then pacing them out with a timer.
//!
//! The items even arrive at the right times, which is what makes this one
//! sneaky. But all readings were taken when the stream was built, before
//! anyone asked: the work is done whether the consumer wants it or not.
//!
//! Caught by: hand_written_takes_no_reading_before_it_is_asked_for, hand_written_takes_each_reading_only_when_it_is_asked_for, hand_written_dropping_the_stream_stops_the_readings

#[path = "../src/lib.rs"]
mod given;
pub use given::{Sensor, readings_gen};

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures::Stream;
use tokio::time::{Sleep, sleep};

pub fn readings(sensor: Sensor, count: u64, every: Duration) -> Readings {
    Readings {
        items: (1..=count).map(|n| sensor.read(n)).collect(),
        every,
        wait: None,
    }
}

pub struct Readings {
    items: VecDeque<u64>,
    every: Duration,
    wait: Option<Pin<Box<Sleep>>>,
}

impl Stream for Readings {
    type Item = u64;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.items.is_empty() {
            return Poll::Ready(None);
        }
        let every = self.every;
        let wait = self.wait.get_or_insert_with(|| Box::pin(sleep(every)));
        ready!(wait.as_mut().poll(cx));
        self.wait = None;
        Poll::Ready(self.items.pop_front())
    }
}
