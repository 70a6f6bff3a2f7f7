//! Kata 27: what a semaphore is for.
//!
//! Two parts:
//!
//! * [`process_all`]: run a batch of jobs with at most `limit` in flight at
//!   any moment, refilling a slot the moment a job finishes, and return the
//!   results in the order of the input (Python's `Semaphore` + `gather`);
//! * [`BoundedSemaphore`]: Python's `asyncio.BoundedSemaphore`, with its
//!   hand-held `acquire` and `release`, which refuses a `release` that would
//!   push it above the number of permits it started with. tokio's
//!   `Semaphore` has no such ceiling: `add_permits` grows it without limit.
//!
//! The simulated [`Service`] (given, in `src/given.rs`) records how many jobs
//! are in flight, and its peak.
//!
//! Run the tests with `cargo test -p semaphore`, or `cargo xtask watch`.

mod given;
pub use given::{Job, OverRelease, Service};

use std::future::Future;

/// Runs `work` on every item, at most `limit` at a time, and returns the
/// results in the order of `items`.
///
/// Items start in the order given. Whenever one finishes, the next starts at
/// once (no waiting for the rest of a "batch"). Everything runs inside the
/// caller's task: dropping the returned future stops the jobs in flight and
/// starts no more.
///
/// # Panics
/// If `limit` is 0: no job could ever start.
pub async fn process_all<I, R, F, Fut>(items: Vec<I>, limit: usize, work: F) -> Vec<R>
where
    F: Fn(I) -> Fut,
    Fut: Future<Output = R>,
{
    // TODO: a `tokio::sync::Semaphore` with `limit` permits, and one future
    // per item that holds a permit while it runs `work(item)`; drive them all
    // together, keeping the input order.
    let _ = &work;
    todo!("process {} items, at most {limit} at a time", items.len())
}

/// A semaphore with Python's hand-held `acquire` and `release`, and a
/// ceiling: it never holds more permits than it was created with.
#[derive(Debug)]
pub struct BoundedSemaphore {
    // TODO: the permits (a tokio `Semaphore` does the waiting), the ceiling,
    // and a count of the permits taken and not yet given back.
}

impl BoundedSemaphore {
    /// A semaphore holding `permits` permits, which is also its ceiling.
    pub fn new(permits: usize) -> Self {
        // TODO
        todo!("a bounded semaphore of {permits} permits")
    }

    /// Takes one permit, waiting (in arrival order) until one is free. The
    /// permit is held until a [`release`](Self::release).
    ///
    /// A call dropped while it waits takes nothing.
    pub async fn acquire(&self) {
        // TODO: acquire from the tokio semaphore, then `forget` the permit
        // (there is no guard in this API) and count it as taken.
        todo!("acquire a permit of {self:?}")
    }

    /// Gives one permit back, waking the longest waiter if there is one.
    ///
    /// # Errors
    /// [`OverRelease`] if every permit is already back, that is, when this
    /// release would push the semaphore above its ceiling. The semaphore is
    /// then left as it was.
    pub fn release(&self) -> Result<(), OverRelease> {
        // TODO: the check and the update must be one step: two threads that
        // both see "one permit out" must not both give it back.
        todo!("release a permit of {self:?}")
    }

    /// How many permits are free right now.
    pub fn available(&self) -> usize {
        // TODO
        todo!("count the free permits of {self:?}")
    }
}
