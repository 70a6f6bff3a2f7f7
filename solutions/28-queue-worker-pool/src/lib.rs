//! Kata 28, reference solution: a bounded queue and a pool of workers.
//!
//! The pieces, and why each is there:
//!
//! * one bounded `mpsc` channel is the queue: `put` waits while it is full,
//!   which is the backpressure a producer needs;
//! * tokio's `mpsc` has a single receiver, so the N workers share it behind
//!   a tokio `Mutex`. A worker holds that lock only while it waits for the
//!   next item and lets go before processing it: whichever worker is free
//!   takes the next item;
//! * a count of unfinished items (put, not yet processed) in a `watch`
//!   channel: `put` adds one, a worker subtracts one when the handler is
//!   done with the item, and `join` waits for the count to read zero. The
//!   queue being empty says nothing about the items the workers are still
//!   processing;
//! * the workers live in a `JoinSet`: `shutdown` drops the one sender, which
//!   closes the queue; each worker ends when `recv` says the queue is closed
//!   and empty; `shutdown` waits for all of them. A pool dropped without
//!   `shutdown` drops the `JoinSet`, which aborts the workers: no task
//!   outlives the pool either way.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/28-queue-worker-pool/src/given.rs"]
mod given;
pub use given::{Item, PoolReport, Work};

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::FutureExt;
use tokio::sync::{Mutex, mpsc, watch};
use tokio::task::JoinSet;

/// A bounded queue of `T` served by a fixed number of worker tasks.
#[derive(Debug)]
pub struct WorkerPool<T> {
    /// The only sender of the queue. Only the pool holds it, so dropping it
    /// (in `shutdown`) closes the queue: the workers' signal to stop.
    sender: mpsc::Sender<T>,
    /// How many items have been put and not yet processed. A `watch`
    /// channel rather than an atomic: `join` must *wait* for zero, and
    /// `wait_for` looks at the current value before waiting for changes, so
    /// no change between a check and the wait is ever missed. In an `Arc`:
    /// every worker updates it.
    unfinished: Arc<watch::Sender<usize>>,
    /// The workers. A `JoinSet` so that `shutdown` can wait for every one,
    /// and so that dropping the pool aborts them all.
    workers: JoinSet<()>,
    /// What the workers did, for the report. In an `Arc`: shared with them.
    tally: Arc<Tally>,
}

/// The report's counters, updated by the workers.
#[derive(Debug, Default)]
struct Tally {
    processed: AtomicUsize,
    panicked: AtomicUsize,
}

impl<T: Send + 'static> WorkerPool<T> {
    /// Starts `workers` worker tasks that take items from a queue holding at
    /// most `capacity` items and call `handler` on each, one item at a time
    /// per worker; a free worker takes the next item at once.
    ///
    /// A handler that panics ends only that item: it counts as processed for
    /// `join`, as `panicked` in the report, and its worker carries on.
    ///
    /// # Panics
    /// If `workers` or `capacity` is 0 (nothing could ever be processed, or
    /// queued), and when called outside a tokio runtime, like `tokio::spawn`.
    pub fn new<F, Fut>(workers: usize, capacity: usize, handler: F) -> Self
    where
        F: Fn(T) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        assert!(
            workers > 0,
            "a pool of 0 workers would never process anything"
        );
        assert!(
            capacity > 0,
            "a queue of capacity 0 could never hold an item"
        );
        let (sender, receiver) = mpsc::channel(capacity);
        // One receiver for N workers: shared, behind tokio's Mutex because a
        // worker holds the guard across `recv().await`.
        let queue = Arc::new(Mutex::new(receiver));
        let handler = Arc::new(handler);
        let (unfinished, _) = watch::channel(0);
        let unfinished = Arc::new(unfinished);
        let tally = Arc::new(Tally::default());

        let mut set = JoinSet::new();
        for _ in 0..workers {
            set.spawn(work(
                queue.clone(),
                handler.clone(),
                unfinished.clone(),
                tally.clone(),
            ));
        }
        Self {
            sender,
            unfinished,
            workers: set,
            tally,
        }
    }

    /// Puts `item` on the queue, waiting while the queue is full.
    ///
    /// A `put` cancelled while it waits puts nothing.
    pub async fn put(&self, item: T) {
        // Wait for room first. `reserve` takes nothing if it is dropped while
        // it waits, so a cancelled `put` leaves no trace. It fails only if
        // every worker has dropped the receiver, which they do only after
        // the sender is gone, and `shutdown` (which drops it) owns the pool.
        let slot = self
            .sender
            .reserve()
            .await
            .expect("the workers hold the queue until shutdown");
        // Counted before it is sent, with no `.await` in between: the item
        // cannot be cancelled half way, and no worker can finish it (and
        // subtract one) before it has been added.
        self.unfinished.send_modify(|unfinished| *unfinished += 1);
        slot.send(item);
    }

    /// Waits until every item put so far has been processed (its handler
    /// returned or panicked), like `asyncio.Queue.join`. Returns at once when
    /// nothing is unfinished. An empty queue is not enough: items taken by
    /// workers but still being processed are unfinished.
    pub async fn join(&self) {
        let mut unfinished = self.unfinished.subscribe();
        // `wait_for` fails only if the sender is dropped, and `self` holds it.
        unfinished
            .wait_for(|&unfinished| unfinished == 0)
            .await
            .expect("the pool holds the count's sender");
    }

    /// Closes the queue, lets the workers process every item still in it,
    /// and returns once every worker has ended, with what the pool did over
    /// its whole life. No task of the pool is left when it returns.
    ///
    /// A pool dropped without `shutdown` aborts its workers instead: nothing
    /// outlives it either.
    pub async fn shutdown(self) -> PoolReport {
        let Self {
            sender,
            mut workers,
            tally,
            ..
        } = self;
        // The last sender: once it is gone and the queue is empty, every
        // worker's `recv` returns `None`, and the worker ends.
        drop(sender);
        while let Some(ended) = workers.join_next().await {
            // A worker catches its handler's panics, so it cannot panic
            // itself; were it to, that is a bug worth passing on.
            if let Err(error) = ended {
                std::panic::resume_unwind(error.into_panic());
            }
        }
        PoolReport {
            processed: tally.processed.load(Ordering::Acquire),
            panicked: tally.panicked.load(Ordering::Acquire),
        }
    }
}

/// One worker: takes the next item, processes it, marks it done; ends when
/// the queue is closed and empty.
async fn work<T, F, Fut>(
    queue: Arc<Mutex<mpsc::Receiver<T>>>,
    handler: Arc<F>,
    unfinished: Arc<watch::Sender<usize>>,
    tally: Arc<Tally>,
) where
    F: Fn(T) -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        // The guard lives only inside this block: it is held while waiting
        // for an item, and released before the item is processed, so that
        // the other workers can take the next items meanwhile.
        let next = {
            let mut receiver = queue.lock().await;
            receiver.recv().await
        };
        // `None`: the sender is gone and the queue is empty. Time to stop.
        let Some(item) = next else { break };

        // Marks the item done when dropped: after the handler returns or
        // panics, and even if this worker is aborted in the middle of it.
        let _done = Done(&unfinished);
        // A panicking handler must not take the worker down with it (the
        // pool would shrink, and the item would never count as done).
        // `AssertUnwindSafe`: after a panic, nothing of the handler's state
        // is used again; the next item gets a fresh future.
        match AssertUnwindSafe(handler(item)).catch_unwind().await {
            Ok(()) => tally.processed.fetch_add(1, Ordering::AcqRel),
            Err(_panic) => tally.panicked.fetch_add(1, Ordering::AcqRel),
        };
    }
}

/// Takes one item off the count of unfinished items when dropped.
struct Done<'a>(&'a watch::Sender<usize>);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        // `send_modify` wakes every `join` waiting for a change.
        self.0.send_modify(|unfinished| *unfinished -= 1);
    }
}
