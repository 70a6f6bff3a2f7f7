//! Pitfall: one channel per worker, items dealt out to the workers in turn.
//!
//! It sidesteps the single receiver, and with items of equal cost it even looks fair. But an
//! item is assigned when it is put, not when a worker is free: the items dealt to a worker
//! stuck on a slow one wait behind it while the other workers sit idle. A shared queue lets
//! whichever worker is free take the next item.
//!
//! Caught by: a_free_worker_takes_the_next_item

#[path = "../../../katas/28-queue-worker-pool/src/given.rs"]
mod given;
pub use given::{Item, PoolReport, Work};

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::FutureExt;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

#[derive(Debug)]
pub struct WorkerPool<T> {
    senders: Vec<mpsc::Sender<T>>,
    next: AtomicUsize,
    unfinished: Arc<watch::Sender<usize>>,
    workers: JoinSet<()>,
    processed: Arc<AtomicUsize>,
    panicked: Arc<AtomicUsize>,
}

impl<T: Send + 'static> WorkerPool<T> {
    pub fn new<F, Fut>(workers: usize, capacity: usize, handler: F) -> Self
    where
        F: Fn(T) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        assert!(workers > 0, "a pool of 0 workers would never process anything");
        assert!(capacity > 0, "a queue of capacity 0 could never hold an item");
        let handler = Arc::new(handler);
        let unfinished = Arc::new(watch::channel(0).0);
        let (processed, panicked) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut set = JoinSet::new();
        let mut senders = Vec::new();
        for _ in 0..workers {
            let (tx, mut rx) = mpsc::channel::<T>(capacity.div_ceil(workers));
            senders.push(tx);
            let (handler, unfinished, processed, panicked) = (handler.clone(), unfinished.clone(), processed.clone(), panicked.clone());
            set.spawn(async move {
                while let Some(item) = rx.recv().await {
                    match std::panic::AssertUnwindSafe(handler(item)).catch_unwind().await {
                        Ok(()) => processed.fetch_add(1, Ordering::AcqRel),
                        Err(_) => panicked.fetch_add(1, Ordering::AcqRel),
                    };
                    unfinished.send_modify(|n| *n -= 1);
                }
            });
        }
        Self { senders, next: AtomicUsize::new(0), unfinished, workers: set, processed, panicked }
    }

    pub async fn put(&self, item: T) {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.senders.len();
        let slot = self.senders[i].reserve().await.expect("open");
        self.unfinished.send_modify(|n| *n += 1);
        slot.send(item);
    }

    pub async fn join(&self) {
        let _ = self.unfinished.subscribe().wait_for(|&n| n == 0).await;
    }

    pub async fn shutdown(self) -> PoolReport {
        let Self { senders, mut workers, processed, panicked, .. } = self;
        drop(senders);
        while workers.join_next().await.is_some() {}
        PoolReport { processed: processed.load(Ordering::Acquire), panicked: panicked.load(Ordering::Acquire) }
    }
}
