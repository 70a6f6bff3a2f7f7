//! Pitfall: producing every item into a `Vec`, then yielding from the `Vec`.
//!
//! It looks like a stream, but the consumer gets nothing until the last
//! reading is taken: the first item comes after `count` waits instead of one,
//! and a consumer that wanted two items still pays for all of them. A stream
//! must produce each item when it is asked for.
//!
//! Caught by: generator_yields_each_reading_one_interval_after_it_is_asked_for, generator_takes_each_reading_only_when_it_is_asked_for, generator_dropping_the_stream_stops_the_readings

#[path = "../src/lib.rs"]
mod given;
pub use given::{Readings, Sensor, readings};

use std::time::Duration;

use futures::{Stream, StreamExt};
use tokio::time::sleep;

pub fn readings_gen(sensor: Sensor, count: u64, every: Duration) -> impl Stream<Item = u64> {
    futures::stream::once(async move {
        let mut all = Vec::new();
        for n in 1..=count {
            sleep(every).await;
            all.push(sensor.read(n));
        }
        futures::stream::iter(all)
    })
    .flatten()
}
