//! The given part of kata 02: the [`Journal`] the jobs write into and the
//! simulated [`job`] itself. You do not need to change this file; the tests and
//! the reference solution use it as it is.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A shared log of what the jobs did, in the order they did it.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    // `Arc` because the journal is shared by the test and by every job, some
    // of which run in spawned tasks; a std `Mutex` because the guard is never
    // held across an `.await`.
    entries: Arc<Mutex<Vec<String>>>,
}

impl Journal {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one entry.
    pub fn record(&self, entry: impl Into<String>) {
        self.entries
            .lock()
            .expect("no one panics while holding the journal")
            .push(entry.into());
    }

    /// Everything recorded so far, oldest first.
    pub fn entries(&self) -> Vec<String> {
        self.entries
            .lock()
            .expect("no one panics while holding the journal")
            .clone()
    }
}

/// A simulated piece of I/O: records `"<name> started"`, waits `took`,
/// records `"<name> finished"`, and returns `"<name> report"`.
pub async fn job(journal: Journal, name: &'static str, took: Duration) -> String {
    journal.record(format!("{name} started"));
    tokio::time::sleep(took).await;
    journal.record(format!("{name} finished"));
    format!("{name} report")
}
