//! Kata 27, reference solution: what a semaphore is for.
//!
//! A semaphore is a counter of permits: taking one when none is left waits,
//! giving one back wakes the longest waiter. With K permits, at most K
//! holders are inside at any moment: the tool for "no more than K requests
//! to that API at once", where a lock would allow one and `join_all` alone
//! would allow all.
//!
//! * [`process_all`] is the everyday use: every job takes a permit before it
//!   starts and gives it back when it ends (a RAII permit, dropped on every
//!   path, cancellation included), so a slot is refilled the moment a job
//!   finishes.
//! * [`BoundedSemaphore`] is Python's `asyncio.BoundedSemaphore`. With
//!   hand-held `acquire` and `release` nothing stops a caller from releasing
//!   twice, and a plain semaphore (Python's, or tokio's `add_permits`) then
//!   silently grows: the limit is gone. The bounded one counts the permits
//!   taken and refuses a release when none is out.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/27-semaphore/src/given.rs"]
mod given;
pub use given::{Job, OverRelease, Service};

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

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
    assert!(limit > 0, "a limit of 0 would never start a job");
    // tokio's semaphore holds at most `MAX_PERMITS`; a larger limit means
    // "no limit" in practice, and must not panic.
    let permits = Semaphore::new(limit.min(Semaphore::MAX_PERMITS));
    // Borrowed by every job's future. No `Arc` is needed: nothing is spawned,
    // all the futures live inside this one and end before it returns.
    let (permits, work) = (&permits, &work);

    // One future per item, all driven together by `join_all`, which returns
    // the outputs in input order. Each job waits for a permit first; tokio's
    // semaphore is fair, so permits go out in the order the futures first
    // asked, which is the input order (`join_all` polls them in order).
    futures::future::join_all(items.into_iter().map(|item| async move {
        // Held for the whole job; dropped when it ends, and also when this
        // future is dropped mid-job: the slot is always given back.
        // `acquire` fails only on a closed semaphore, and nobody closes this
        // one.
        let _permit = permits.acquire().await.expect("never closed");
        work(item).await
    }))
    .await
}

/// A semaphore with Python's hand-held `acquire` and `release`, and a
/// ceiling: it never holds more permits than it was created with.
#[derive(Debug)]
pub struct BoundedSemaphore {
    /// Does the waiting: fair (FIFO), and cancellation-safe (a dropped
    /// `acquire` leaves the queue and takes nothing).
    permits: Semaphore,
    /// The number of permits at the start, which is also the most there may
    /// ever be.
    ceiling: usize,
    /// Permits taken by `acquire` and not yet given back. An atomic updated
    /// in one step (`fetch_update`), so that two threads releasing at once
    /// cannot both give back the one permit that is out.
    taken: AtomicUsize,
}

impl BoundedSemaphore {
    /// A semaphore holding `permits` permits, which is also its ceiling.
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Semaphore::new(permits),
            ceiling: permits,
            taken: AtomicUsize::new(0),
        }
    }

    /// Takes one permit, waiting (in arrival order) until one is free. The
    /// permit is held until a [`release`](Self::release).
    ///
    /// A call dropped while it waits takes nothing.
    pub async fn acquire(&self) {
        // The semaphore is never closed, so `acquire` cannot fail.
        let permit = self.permits.acquire().await.expect("never closed");
        // This API has no guard: the permit must outlive this call, until a
        // `release` that may come from anywhere. `forget` keeps it taken
        // (dropping it would give it straight back); `release` adds it again.
        permit.forget();
        // Counted before `acquire` returns, so before anyone can release it.
        self.taken.fetch_add(1, Ordering::AcqRel);
    }

    /// Gives one permit back, waking the longest waiter if there is one.
    ///
    /// # Errors
    /// [`OverRelease`] if every permit is already back, that is, when this
    /// release would push the semaphore above its ceiling. The semaphore is
    /// then left as it was.
    pub fn release(&self) -> Result<(), OverRelease> {
        // Check and decrement in one atomic step: `checked_sub` refuses to go
        // below zero, and `fetch_update` retries if another thread changed
        // the count in between. A load, a test and a store would let two
        // threads both take the last permit back.
        self.taken
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |taken| {
                taken.checked_sub(1)
            })
            .map_err(|_| OverRelease {
                permits: self.ceiling,
            })?;
        // The count says one permit was out; now it is back. `add_permits`
        // hands it to the longest waiter, if any.
        self.permits.add_permits(1);
        Ok(())
    }

    /// How many permits are free right now.
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }
}
