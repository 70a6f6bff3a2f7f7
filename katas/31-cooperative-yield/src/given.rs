//! The given part of kata 31: one unit of CPU-bound work ([`crunch`]) and the
//! [`Log`] in which every task writes down what it did, in the order it did
//! it. You do not need to change this file; the tests and the reference
//! solution use it as it is.

use std::sync::Mutex;

use tokio::sync::Notify;

/// One unit of CPU-bound work: a few thousand arithmetic steps, no I/O and
/// no `.await`. The same `unit` always gives the same result.
pub fn crunch(unit: u64) -> u64 {
    let mut x = unit.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for _ in 0..2_000 {
        // xorshift: cheap, and the compiler cannot skip it.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

/// What the tasks did, in the order they did it: one entry per unit of
/// work, `(job, unit)`. Tests read it to see who ran when, and a watcher can
/// wait for it to change.
#[derive(Debug, Default)]
pub struct Log {
    /// A std Mutex: it is held for one push or one copy, never across an
    /// `.await`.
    entries: Mutex<Vec<(String, u64)>>,
    /// Wakes the watcher waiting in [`Log::changed`].
    changed: Notify,
}

impl Log {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes down that `job` has done `unit`.
    pub fn done(&self, job: &str, unit: u64) {
        self.entries
            .lock()
            .expect("nobody panics while holding the log")
            .push((job.to_owned(), unit));
        // One stored permit at most: a watcher that was busy still learns
        // that something changed.
        self.changed.notify_one();
    }

    /// Waits until something new is written down (for one watcher at a
    /// time). It may return once more than needed: read
    /// [`entries`](Log::entries) to see what is new.
    pub async fn changed(&self) {
        self.changed.notified().await;
    }

    /// Everything written down so far, in order.
    pub fn entries(&self) -> Vec<(String, u64)> {
        self.entries
            .lock()
            .expect("nobody panics while holding the log")
            .clone()
    }

    /// The log in short: one `(job, how many units in a row)` per stretch of
    /// consecutive entries by the same job. `[("a", 10), ("b", 10), …]`
    /// means a did 10 units, then b did 10, and so on.
    pub fn turns(&self) -> Vec<(String, usize)> {
        let mut turns: Vec<(String, usize)> = Vec::new();
        for (job, _) in self.entries() {
            match turns.last_mut() {
                Some((last, count)) if *last == job => *count += 1,
                _ => turns.push((job, 1)),
            }
        }
        turns
    }
}
