//! Pitfall: shutdown that aborts everything at once, with no grace period.
//!
//! Quick and tidy-looking, but a task one second from finishing its upload is
//! cut off mid-way: graceful shutdown means giving work in flight its chance
//! to end, and aborting only what overruns the bound.
//!
//! Caught by: shutdown_returns_as_soon_as_every_task_has_finished

#[path = "../src/lib.rs"]
mod given;
pub use given::{Registry as Inner, ShutdownReport};

use std::time::Duration;

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
        // The grace period is ignored.
        self.inner.shutdown(Duration::ZERO).await
    }
}
