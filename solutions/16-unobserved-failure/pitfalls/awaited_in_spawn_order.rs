//! Pitfall: keeping the handles in a list and awaiting them one after another.
//!
//! Every failure is eventually reported, so this looks right in a quick test.
//! But a task's failure is seen only after every task spawned before it has
//! finished: a cache warmer that fails at 1 s behind a nightly report that
//! runs for 10 s is reported at 10 s. A supervisor must report failures as
//! they happen, so each handle needs its own watcher (or a `JoinSet`, which
//! yields handles in completion order).
//!
//! Caught by: a_failure_is_reported_when_it_happens, every_failure_is_reported_exactly_once

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{Failure, FailureKind, panic_message};

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

use tokio::task::JoinHandle;

type Handles = Arc<Mutex<VecDeque<(String, JoinHandle<Result<(), String>>)>>>;

pub fn supervisor() -> (Supervisor, Failures) {
    let handles = Handles::default();
    (
        Supervisor {
            handles: Arc::clone(&handles),
        },
        Failures { handles },
    )
}

#[derive(Debug, Clone)]
pub struct Supervisor {
    handles: Handles,
}

impl Supervisor {
    pub fn spawn<F, E>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        let handle = tokio::spawn(async move { task.await.map_err(|e| e.to_string()) });
        self.handles
            .lock()
            .unwrap()
            .push_back((name.into(), handle));
    }
}

#[derive(Debug)]
pub struct Failures {
    handles: Handles,
}

impl Failures {
    pub async fn recv(&mut self) -> Option<Failure> {
        loop {
            let (task, handle) = self.handles.lock().unwrap().pop_front()?;
            let kind = match handle.await {
                Ok(Ok(())) => continue,
                Ok(Err(error)) => FailureKind::Error(error),
                Err(join_error) => FailureKind::Panic(panic_message(&*join_error.into_panic())),
            };
            return Some(Failure { task, kind });
        }
    }
}
