//! Pitfall: taking the task off the list in code after its `.await`.
//!
//! Each task is wrapped so that it removes its own entry when it returns. A
//! task that panics never gets there (nor does one that is aborted): the
//! unwinding skips the line, and the dead task stays listed forever. Cleanup
//! that must always run belongs in a destructor (a drop guard), or in whoever
//! joins the task.
//!
//! Caught by: a_task_that_panicked_is_no_longer_running

#[path = "../src/lib.rs"]
mod given;
pub use given::ShutdownReport;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Registry {
    names: Arc<Mutex<HashMap<u64, String>>>,
    next: Mutex<u64>,
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
        let id = {
            let mut next = self.next.lock().unwrap();
            *next += 1;
            *next
        };
        self.names.lock().unwrap().insert(id, name.clone());
        let names = Arc::clone(&self.names);
        self.inner.spawn(name, async move {
            task.await;
            // Skipped when `task` panics.
            names.lock().unwrap().remove(&id);
        });
    }

    pub fn running(&self) -> Vec<String> {
        let mut names: Vec<String> = self.names.lock().unwrap().values().cloned().collect();
        names.sort();
        names
    }

    pub async fn shutdown(self, grace: Duration) -> ShutdownReport {
        self.inner.shutdown(grace).await
    }
}
