//! Pitfall: a list of `JoinHandle`s, detached when a shutdown is dropped
//! part-way.
//!
//! This registry gets every path that returns right: it waits under one
//! deadline, aborts the rest and waits for them. But its tasks are owned by
//! plain `JoinHandle`s, and dropping a `JoinHandle` *detaches* its task. A
//! caller who gives up on the shutdown (a `timeout` around it) drops the
//! handles mid-wait, and every task still running runs on, out of reach:
//! the very forgotten tasks the registry was for. A `JoinSet` aborts its
//! tasks when it is dropped.
//!
//! Caught by: dropping_a_shutdown_part_way_stops_every_task

#[path = "../../../katas/22-forgotten-tasks/src/given.rs"]
mod given;
pub use given::ShutdownReport;

use std::sync::Mutex;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout_at};

#[derive(Debug)]
pub struct Registry {
    tasks: Mutex<Vec<(String, JoinHandle<()>)>>,
}

impl Registry {
    pub fn new() -> Self {
        // Not `Self::default()`: the given `Default` impl calls this.
        Self {
            tasks: Mutex::default(),
        }
    }

    pub fn spawn<F>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let name = name.into();
        let mut tasks = self.tasks.lock().unwrap();
        tasks.push((name, tokio::spawn(task)));
    }

    pub fn running(&self) -> Vec<String> {
        let mut tasks = self.tasks.lock().unwrap();
        tasks.retain(|(_, handle)| !handle.is_finished());
        let mut names: Vec<String> = tasks.iter().map(|(name, _)| name.clone()).collect();
        names.sort();
        names
    }

    pub async fn shutdown(self, grace: Duration) -> ShutdownReport {
        let mut tasks = self.tasks.into_inner().unwrap();
        tasks.retain(|(_, handle)| !handle.is_finished());
        let deadline = Instant::now().checked_add(grace);
        let mut report = ShutdownReport::default();
        let mut overran = Vec::new();
        // The wrong answer: each handle is awaited in turn, and dropping this
        // future drops the handles, which detaches their tasks.
        for (name, mut handle) in tasks {
            let ended = match deadline {
                Some(deadline) => timeout_at(deadline, &mut handle).await.is_ok(),
                None => {
                    let _ = (&mut handle).await;
                    true
                }
            };
            if ended {
                report.finished.push(name);
            } else {
                overran.push((name, handle));
            }
        }
        for (_, handle) in &overran {
            handle.abort();
        }
        for (name, handle) in overran {
            match handle.await {
                Err(error) if error.is_cancelled() => report.aborted.push(name),
                _ => report.finished.push(name),
            }
        }
        report.finished.sort();
        report.aborted.sort();
        report
    }
}
