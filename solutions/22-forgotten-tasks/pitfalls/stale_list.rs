//! Pitfall: a list of names written at spawn and never pruned.
//!
//! The registry remembers every task it ever started, so "running" keeps
//! showing tasks long after they have finished: a list of what was spawned,
//! not of what is running.
//!
//! Caught by: running_lists_exactly_the_tasks_still_running, a_task_that_panicked_is_no_longer_running

#[path = "../src/lib.rs"]
mod given;
pub use given::ShutdownReport;

use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Registry {
    names: Mutex<Vec<String>>,
    inner: given::Registry,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn spawn<F>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let name = name.into();
        self.names.lock().unwrap().push(name.clone());
        self.inner.spawn(name, task);
    }

    pub fn running(&self) -> Vec<String> {
        // Never pruned: finished tasks stay "running" forever.
        let mut names = self.names.lock().unwrap().clone();
        names.sort();
        names
    }

    pub async fn shutdown(self, grace: Duration) -> ShutdownReport {
        self.inner.shutdown(grace).await
    }
}
