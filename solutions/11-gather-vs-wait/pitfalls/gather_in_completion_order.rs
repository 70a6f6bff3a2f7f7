//! Pitfall: `gather` that returns outputs as they finish.
//!
//! `FuturesUnordered` is concurrent, so the timing is right, but it yields each
//! output when it is ready. `gather` promises the order of its inputs; a
//! caller zipping the outputs with its requests would pair them wrongly.
//!
//! Caught by: gather_keeps_the_order_of_its_inputs

#[path = "../src/lib.rs"]
mod given;
pub use given::{ReturnWhen, Waited, wait};

use std::future::Future;

use futures::StreamExt;
use futures::stream::FuturesUnordered;

pub async fn gather<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    futures
        .into_iter()
        .collect::<FuturesUnordered<_>>()
        .collect()
        .await
}
