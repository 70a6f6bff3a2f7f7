//! Kata 11: `gather` versus `wait`.
//!
//! Write the two ways of waiting for several things at once:
//!
//! * [`gather`]: run futures concurrently and return *every* output, in the
//!   order the futures were given;
//! * [`wait`]: wait on running tasks until a [`ReturnWhen`] condition holds or
//!   a timeout passes, and return the outcomes that are done together with the
//!   handles of the tasks still running (which must keep running).
//!
//! The types [`ReturnWhen`] and [`Waited`] are given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p gather-vs-wait`, or `cargo xtask watch`.

mod given;
pub use given::{ReturnWhen, Waited};

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinHandle;

/// Runs every future concurrently and returns their outputs in input order.
///
/// The output at index `i` belongs to the `i`-th future, whichever finished
/// first. Nothing given means nothing to wait for.
pub async fn gather<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    // TODO: drive all the futures at once and keep their outputs in input order.
    let _ = futures.into_iter();
    todo!("run the futures concurrently; outputs in input order")
}

/// Waits on running tasks until `return_when` holds or `timeout` passes.
///
/// A task *fails* when it returns `Err`, panics, or is aborted. Reaching the
/// timeout is not an error: `wait` returns what it has. With no tasks it
/// returns at once.
pub async fn wait<T>(
    tasks: Vec<JoinHandle<anyhow::Result<T>>>,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
) -> Waited<T> {
    // TODO: until `return_when` holds (or the deadline passes), wait for the
    // next task(s) to finish and move their outcomes into `done`. Keep the
    // unfinished handles, in order, and never abort or drop them. A
    // `JoinHandle` is `Unpin`: `Pin::new(&mut handle).poll(cx)` inside
    // `std::future::poll_fn` polls it without consuming it.
    todo!(
        "wait on {} tasks until {return_when:?}, at most {timeout:?}",
        tasks.len()
    )
}
