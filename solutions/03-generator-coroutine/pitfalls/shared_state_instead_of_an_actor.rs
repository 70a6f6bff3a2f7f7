//! Pitfall: shared state behind a mutex instead of an actor.
//!
//! No task, no channel: each handle locks the history, and a flag says whether
//! the calculator is closed. It passes every single-threaded test, but the
//! check of the flag and the update of the history are two steps: a `send`
//! that saw the calculator open can record its sum after `close` has taken the
//! final history, so a caller is told "7" and the history never shows it. An
//! actor handles one request at a time, so `close` is simply the last one.
//!
//! Caught by: the_actor_task_ends_when_closed

#[path = "../../../katas/03-generator-coroutine/src/given.rs"]
mod given;
pub use given::{CalcError, History};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, Default)]
struct Shared {
    closed: AtomicBool,
    history: Mutex<History>,
}

/// A handle to a calculator. Clones share it.
#[derive(Debug, Clone)]
pub struct Calculator {
    shared: Arc<Shared>,
}

impl Calculator {
    /// Starts a calculator with an empty history.
    pub fn start() -> Self {
        Self {
            shared: Arc::default(),
        }
    }

    fn check_open(&self) -> Result<(), CalcError> {
        if self.shared.closed.load(Ordering::SeqCst) {
            Err(CalcError::Closed)
        } else {
            Ok(())
        }
    }

    fn history_mut(&self) -> MutexGuard<'_, History> {
        self.shared.history.lock().expect("no panic while holding the history")
    }

    /// Adds `a` and `b`.
    pub async fn send(&self, a: i64, b: i64) -> Result<i64, CalcError> {
        // The wrong answer: the check and the update are two separate steps.
        self.check_open()?;
        let sum = a.checked_add(b).ok_or(CalcError::Overflow { a, b })?;
        self.history_mut().results.push(sum);
        Ok(sum)
    }

    /// Injects an error.
    pub async fn throw(&self, error: &str) -> Result<(), CalcError> {
        self.check_open()?;
        self.history_mut().errors.push(error.to_owned());
        Ok(())
    }

    /// The history so far.
    pub async fn history(&self) -> Result<History, CalcError> {
        self.check_open()?;
        Ok(self.history_mut().clone())
    }

    /// Closes the calculator and returns its final history.
    pub async fn close(&self) -> Result<History, CalcError> {
        if self.shared.closed.swap(true, Ordering::SeqCst) {
            return Err(CalcError::Closed);
        }
        Ok(self.history_mut().clone())
    }
}
