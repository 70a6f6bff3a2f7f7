//! The given part of kata 15: the simulated order [`Store`] and its timings.
//! You do not need to change this file; the tests and the reference solution
//! use it as it is.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// How long [`Store::validate`] takes.
pub const VALIDATE_TIME: Duration = Duration::from_millis(100);
/// How long [`Store::write`] takes, unless set by [`Store::with_write_time`].
pub const WRITE_TIME: Duration = Duration::from_millis(300);
/// How long [`Store::send_receipt`] takes.
pub const RECEIPT_TIME: Duration = Duration::from_millis(100);

/// A simulated order database. A write becomes visible only when it has
/// completed; a write dropped halfway is counted as interrupted (in a real
/// database, a torn or rolled-back write).
#[derive(Debug)]
pub struct Store {
    /// The time `new` was called: completion times are measured from here.
    epoch: Instant,
    /// A std Mutex: never held across an `.await`, and also locked from a
    /// drop guard, which cannot await.
    state: Mutex<StoreState>,
    /// How long one write takes.
    write_time: Duration,
}

#[derive(Debug, Default)]
struct StoreState {
    /// Completed writes: the record and when it completed.
    records: HashMap<u32, (String, Duration)>,
    interrupted: usize,
    receipts: Vec<u32>,
}

impl Store {
    /// An empty store whose writes take [`WRITE_TIME`]; times are measured
    /// from now.
    pub fn new() -> Self {
        Self::with_write_time(WRITE_TIME)
    }

    /// An empty store whose writes take `write_time` (a slower or faster
    /// database); times are measured from now.
    pub fn with_write_time(write_time: Duration) -> Self {
        Self {
            epoch: Instant::now(),
            state: Mutex::default(),
            write_time,
        }
    }

    /// Checks an order: takes [`VALIDATE_TIME`], changes nothing.
    pub async fn validate(&self, id: u32) {
        let _ = id;
        tokio::time::sleep(VALIDATE_TIME).await;
    }

    /// Writes the record of order `id`: takes [`WRITE_TIME`], or the time
    /// given to [`Store::with_write_time`]. If the future is
    /// dropped before it completes, nothing is stored and the write is counted
    /// as interrupted.
    pub async fn write(&self, id: u32, record: String) {
        let mut guard = WriteGuard {
            store: self,
            completed: false,
        };
        tokio::time::sleep(self.write_time).await;
        let completed_at = self.epoch.elapsed();
        self.lock().records.insert(id, (record, completed_at));
        guard.completed = true;
    }

    /// Sends the receipt of order `id`: takes [`RECEIPT_TIME`]; recorded only
    /// once sent.
    pub async fn send_receipt(&self, id: u32) {
        tokio::time::sleep(RECEIPT_TIME).await;
        self.lock().receipts.push(id);
    }

    /// The record of order `id`, if its write completed.
    pub fn record(&self, id: u32) -> Option<String> {
        self.lock()
            .records
            .get(&id)
            .map(|(record, _)| record.clone())
    }

    /// When the write of order `id` completed, measured from [`Store::new`].
    pub fn written_at(&self, id: u32) -> Option<Duration> {
        self.lock().records.get(&id).map(|&(_, at)| at)
    }

    /// How many writes were dropped before they completed.
    pub fn interrupted_writes(&self) -> usize {
        self.lock().interrupted
    }

    /// The orders whose receipts were sent, in order.
    pub fn receipts(&self) -> Vec<u32> {
        self.lock().receipts.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, StoreState> {
        self.state.lock().expect("the store never panics")
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

struct WriteGuard<'a> {
    store: &'a Store,
    completed: bool,
}

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        if !self.completed {
            self.store.lock().interrupted += 1;
        }
    }
}
