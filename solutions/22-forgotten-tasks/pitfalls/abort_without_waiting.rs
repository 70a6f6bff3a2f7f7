//! Pitfall: aborting the overrunning tasks and returning at once.
//!
//! `abort` only *requests* cancellation: the task's future is dropped later,
//! when the scheduler next gets to it. Returning straight after `abort_all`
//! reports "aborted" while those tasks still exist, their cleanup not yet run;
//! a caller that goes on to close a database pool or exit races with them.
//!
//! Caught by: nothing_is_left_running_after_shutdown, a_zero_grace_period_aborts_everything_at_once

#[path = "../../../katas/22-forgotten-tasks/src/given.rs"]
mod given;
pub use given::ShutdownReport;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::task::{Id, JoinSet};
use tokio::time::{Instant, timeout_at};

#[derive(Debug)]
pub struct Registry {
    inner: Mutex<(JoinSet<()>, HashMap<Id, String>)>,
}

impl Registry {
    pub fn new() -> Self {
        // Not `Self::default()`: the given `Default` impl calls this.
        Self {
            inner: Mutex::default(),
        }
    }

    pub fn spawn<F>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let mut inner = self.inner.lock().unwrap();
        let handle = inner.0.spawn(task);
        inner.1.insert(handle.id(), name.into());
    }

    pub fn running(&self) -> Vec<String> {
        let mut inner = self.inner.lock().unwrap();
        while let Some(ended) = inner.0.try_join_next_with_id() {
            let id = ended.map_or_else(|e| e.id(), |(id, ())| id);
            inner.1.remove(&id);
        }
        let mut names: Vec<String> = inner.1.values().cloned().collect();
        names.sort();
        names
    }

    pub async fn shutdown(self, grace: Duration) -> ShutdownReport {
        self.running();
        let (mut set, mut names) = self.inner.into_inner().unwrap();
        let mut report = ShutdownReport::default();
        let deadline = Instant::now() + grace;
        while let Ok(Some(ended)) = timeout_at(deadline, set.join_next_with_id()).await {
            let id = ended.map_or_else(|e| e.id(), |(id, ())| id);
            report.finished.extend(names.remove(&id));
        }
        // Asks, and does not wait for the answer.
        set.abort_all();
        set.detach_all();
        report.aborted = names.into_values().collect();
        report.finished.sort();
        report.aborted.sort();
        report
    }
}
