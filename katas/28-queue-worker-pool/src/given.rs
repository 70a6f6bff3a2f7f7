//! The given part of kata 28: the [`Item`]s of work, the [`Work`] log the
//! tests' handler writes to, and the [`PoolReport`] that
//! [`WorkerPool::shutdown`](crate::WorkerPool::shutdown) returns. You do not
//! need to change this file; the tests and the reference solution use it as
//! it is.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// One item of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// The item's id.
    pub id: u32,
    /// How long processing it takes, on tokio's clock.
    pub cost: Duration,
    /// Whether processing it panics (after `cost`): a bad item.
    pub poisoned: bool,
}

impl Item {
    /// A good item.
    pub fn new(id: u32, cost: Duration) -> Self {
        Self {
            id,
            cost,
            poisoned: false,
        }
    }

    /// An item whose processing panics once `cost` has passed.
    pub fn poisoned(id: u32, cost: Duration) -> Self {
        Self {
            id,
            cost,
            poisoned: true,
        }
    }
}

/// What the tests' handler does with an item, and the record of it: which
/// items were processed, when, and how many at once.
#[derive(Debug)]
pub struct Work {
    /// The time `new` was called: times are measured from here.
    epoch: Instant,
    /// A std Mutex: it is held for one statement at a time, never across an
    /// `.await`, and the drop guard of an item (which cannot await) locks it.
    log: Mutex<WorkLog>,
}

#[derive(Debug, Default)]
struct WorkLog {
    busy: usize,
    most_busy: usize,
    processed: Vec<(u32, Duration)>,
    dropped: usize,
}

impl Work {
    /// An empty record.
    pub fn new() -> Self {
        Self {
            epoch: Instant::now(),
            log: Mutex::default(),
        }
    }

    /// Processes `item`: takes `item.cost`, then records it as processed (or
    /// panics, if the item is poisoned).
    pub async fn process(&self, item: Item) {
        {
            let mut log = self.lock();
            log.busy += 1;
            log.most_busy = log.most_busy.max(log.busy);
        }
        let mut busy = Busy {
            work: self,
            finished: false,
        };
        tokio::time::sleep(item.cost).await;
        busy.finished = true;
        drop(busy);
        assert!(!item.poisoned, "item {} is poisoned", item.id);
        let at = self.epoch.elapsed();
        self.lock().processed.push((item.id, at));
    }

    /// The ids of the items processed so far, in the order they finished.
    pub fn processed(&self) -> Vec<u32> {
        self.lock().processed.iter().map(|(id, _)| *id).collect()
    }

    /// When each item was processed (measured from `new`), in that order.
    pub fn processed_at(&self) -> Vec<(u32, Duration)> {
        self.lock().processed.clone()
    }

    /// The most items that were being processed at once.
    pub fn most_busy(&self) -> usize {
        self.lock().most_busy
    }

    /// How many items were being processed when their future was dropped
    /// (cut off by an abort, say).
    pub fn dropped(&self) -> usize {
        self.lock().dropped
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WorkLog> {
        // Nothing panics while this lock is held, so it is never poisoned.
        self.log.lock().expect("the work log is never poisoned")
    }
}

impl Default for Work {
    fn default() -> Self {
        Self::new()
    }
}

/// Counts an item as busy until it finishes or is dropped.
struct Busy<'a> {
    work: &'a Work,
    finished: bool,
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        let mut log = self.work.lock();
        log.busy -= 1;
        if !self.finished {
            log.dropped += 1;
        }
    }
}

/// What a pool did, reported by `shutdown`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolReport {
    /// Items whose handler returned.
    pub processed: usize,
    /// Items whose handler panicked.
    pub panicked: usize,
}
