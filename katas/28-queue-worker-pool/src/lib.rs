//! Kata 28: a bounded queue and a pool of workers.
//!
//! Build [`WorkerPool`], the Rust counterpart of the classic `asyncio.Queue`
//! worker pool: N workers take items from one bounded queue and process them
//! with a handler; producers `put` items and wait while the queue is full;
//! `join` waits until every item put so far has been *processed* (not just
//! taken off the queue); `shutdown` lets the workers finish what is queued
//! and then ends every one of them.
//!
//! tokio's `mpsc` channel has a single receiver: the N workers must share it.
//! The [`Item`]s, the [`Work`] the tests' handler records, and the
//! [`PoolReport`] are given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p queue-worker-pool`, or `cargo xtask watch`.

mod given;
pub use given::{Item, PoolReport, Work};

use std::future::Future;

/// A bounded queue of `T` served by a fixed number of worker tasks.
#[derive(Debug)]
pub struct WorkerPool<T> {
    // TODO: your fields: the sending half of a bounded channel, the workers'
    // handles, a count of the items put and not yet processed that `join`
    // can wait on, and the report's counters. (This marker only keeps the
    // skeleton compiling; a `Sender<T>` makes it unnecessary.)
    _items: std::marker::PhantomData<T>,
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
        // TODO: one channel, its receiver shared by every worker; spawn the
        // workers; each loops: take the next item (holding the receiver only
        // while it waits), process it, count it as done.
        let _handler = handler;
        todo!("a pool of {workers} workers over a queue of {capacity}")
    }

    /// Puts `item` on the queue, waiting while the queue is full.
    ///
    /// A `put` cancelled while it waits puts nothing.
    pub async fn put(&self, item: T) {
        // TODO: count the item as unfinished *before* a worker can possibly
        // finish it, and never count an item that was not sent.
        let _item = item;
        todo!("put an item of type {}", std::any::type_name::<T>())
    }

    /// Waits until every item put so far has been processed (its handler
    /// returned or panicked), like `asyncio.Queue.join`. Returns at once when
    /// nothing is unfinished. An empty queue is not enough: items taken by
    /// workers but still being processed are unfinished.
    pub async fn join(&self) {
        // TODO: wait for the count of unfinished items to reach zero.
        todo!(
            "wait until every item of type {} is processed",
            std::any::type_name::<T>()
        )
    }

    /// Closes the queue, lets the workers process every item still in it,
    /// and returns once every worker has ended, with what the pool did over
    /// its whole life. No task of the pool is left when it returns.
    ///
    /// A pool dropped without `shutdown` aborts its workers instead: nothing
    /// outlives it either.
    pub async fn shutdown(self) -> PoolReport {
        // TODO: dropping the last sender closes the channel; each worker then
        // ends when `recv` returns `None`. Wait for every one of them.
        todo!("shut down a pool of {}", std::any::type_name::<T>())
    }
}
