//! Pitfall: `gather` that awaits its futures one after another.
//!
//! The order is right, but a Rust future does nothing until it is polled: the
//! second one starts only when the first is done, and the total is the sum of
//! the durations instead of the longest one.
//!
//! Caught by: gather_runs_its_futures_concurrently

#[path = "../src/lib.rs"]
mod given;
pub use given::{ReturnWhen, Waited, wait};

use std::future::Future;

pub async fn gather<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut outputs = Vec::new();
    for future in futures {
        outputs.push(future.await);
    }
    outputs
}
