//! Pitfall: `tokio::spawn` and drop the handle, the fire-and-forget classic.
//!
//! The tasks run, but nobody holds their handles: they cannot be listed,
//! waited for or stopped. The registry lists nothing, and "shutdown" leaves
//! every task running on in the background.
//!
//! Caught by: running_lists_exactly_the_tasks_still_running, nothing_is_left_running_after_shutdown

#[path = "../src/lib.rs"]
mod given;
pub use given::ShutdownReport;

use std::time::Duration;

#[derive(Debug, Default)]
pub struct Registry;

impl Registry {
    pub fn new() -> Self {
        Self
    }

    pub fn spawn<F>(&self, _name: impl Into<String>, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // The JoinHandle is dropped here: the task is detached, out of reach.
        tokio::spawn(task);
    }

    pub fn running(&self) -> Vec<String> {
        Vec::new()
    }

    pub async fn shutdown(self, _grace: Duration) -> ShutdownReport {
        ShutdownReport::default()
    }
}
