//! Pitfall: shutdown that waits for every task, however long it takes.
//!
//! Correct while every task is well behaved; one stuck task and the program
//! never exits. The grace period is a bound, not a suggestion.
//!
//! Caught by: shutdown_aborts_the_tasks_still_running_when_the_grace_period_ends, nothing_is_left_running_after_shutdown

#[path = "../src/lib.rs"]
mod given;
pub use given::{Registry as Inner, ShutdownReport};

use std::time::Duration;

const A_CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

#[derive(Debug, Default)]
pub struct Registry {
    inner: Inner,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn spawn<F>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.inner.spawn(name, task);
    }

    pub fn running(&self) -> Vec<String> {
        self.inner.running()
    }

    pub async fn shutdown(self, _grace: Duration) -> ShutdownReport {
        // Waits for a stuck task for as good as ever.
        self.inner.shutdown(A_CENTURY).await
    }
}
