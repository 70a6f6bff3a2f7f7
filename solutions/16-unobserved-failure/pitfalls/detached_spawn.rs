//! Pitfall: spawning the task and dropping its `JoinHandle` (fire and forget).
//!
//! `tokio::spawn(task)` runs the task, but its outcome goes into the handle,
//! and the handle is dropped at once. An `Err` is dropped with it, without a
//! word; a panic is printed by the panic hook and then forgotten. Nothing ever
//! reaches `Failures`, which ends as soon as the supervisor is dropped.
//!
//! Caught by: an_error_is_reported_with_the_tasks_name, a_panic_is_reported_with_the_tasks_name, every_failure_is_reported_exactly_once

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Failure, FailureKind, panic_message};

use std::fmt;

use tokio::sync::mpsc;

pub fn supervisor() -> (Supervisor, Failures) {
    let (report, reports) = mpsc::unbounded_channel();
    (Supervisor { _report: report }, Failures { reports })
}

#[derive(Debug, Clone)]
pub struct Supervisor {
    _report: mpsc::UnboundedSender<Failure>,
}

impl Supervisor {
    pub fn spawn<F, E>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        let _name = name.into();
        // The handle is dropped here: the task runs on, detached, and
        // whatever it returns or however it panics is seen by nobody.
        tokio::spawn(task);
    }
}

#[derive(Debug)]
pub struct Failures {
    reports: mpsc::UnboundedReceiver<Failure>,
}

impl Failures {
    pub async fn recv(&mut self) -> Option<Failure> {
        self.reports.recv().await
    }
}
