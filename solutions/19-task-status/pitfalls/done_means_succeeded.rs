//! Pitfall: `is_done()` true only when the task succeeded.
//!
//! Python's `done()` (and tokio's `is_finished()`) is true once the task has
//! ended in any way. A supervisor that waits for `is_done()` on a task that
//! failed or was cancelled waits forever.
//!
//! Caught by: a_task_that_returns_an_error_is_done_and_failed, a_panicking_task_is_failed_with_the_panic_message, a_cancelled_task_is_done_cancelled_and_really_stopped

#[path = "../src/lib.rs"]
mod given;
pub use given::{Outcome, Status, panic_message};

use std::mem;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;
use tokio::task::AbortHandle;

type Callback<T> = Box<dyn FnOnce(&Outcome<T>) + Send>;

struct State<T> {
    outcome: Option<Outcome<T>>,
    callbacks: Vec<Callback<T>>,
}

pub struct Task<T> {
    state: Arc<Mutex<State<T>>>,
    abort: AbortHandle,
}

impl<T: Clone + Send + 'static> Task<T> {
    pub fn spawn<F>(future: F) -> Self
    where
        F: Future<Output = Result<T, String>> + Send + 'static,
    {
        let state = Arc::new(Mutex::new(State {
            outcome: None,
            callbacks: Vec::new(),
        }));
        let work = tokio::spawn(future);
        let abort = work.abort_handle();
        let shared = Arc::clone(&state);
        tokio::spawn(async move {
            let outcome = match work.await {
                Ok(Ok(value)) => Outcome::Succeeded(value),
                Ok(Err(message)) => Outcome::Failed(message),
                Err(error) => match error.try_into_panic() {
                    Ok(payload) => Outcome::Failed(panic_message(&*payload)),
                    Err(_) => Outcome::Cancelled,
                },
            };
            let callbacks = {
                let mut state = shared.lock().unwrap();
                if state.outcome.is_some() {
                    return; // cancel() already announced the end
                }
                state.outcome = Some(outcome.clone());
                mem::take(&mut state.callbacks)
            };
            for callback in callbacks {
                callback(&outcome);
            }
        });
        Task { state, abort }
    }

    pub fn status(&self) -> Status {
        self.outcome()
            .map_or(Status::Running, |outcome| outcome.status())
    }

    pub fn is_done(&self) -> bool {
        // The bug: "done" read as "succeeded".
        self.status() == Status::Succeeded
    }

    pub fn is_cancelled(&self) -> bool {
        self.status() == Status::Cancelled
    }

    pub fn error(&self) -> Option<String> {
        match self.outcome() {
            Some(Outcome::Failed(message)) => Some(message),
            _ => None,
        }
    }

    pub fn outcome(&self) -> Option<Outcome<T>> {
        self.state.lock().unwrap().outcome.clone()
    }

    pub fn cancel(&self) -> bool {
        if self.is_done() {
            return false;
        }
        self.abort.abort();
        true
    }

    pub fn add_done_callback<C>(&self, callback: C)
    where
        C: FnOnce(&Outcome<T>) + Send + 'static,
    {
        let finished = {
            let mut state = self.state.lock().unwrap();
            match &state.outcome {
                Some(outcome) => outcome.clone(),
                None => {
                    state.callbacks.push(Box::new(callback));
                    return;
                }
            }
        };
        callback(&finished);
    }

    pub async fn wait(&self) -> Outcome<T> {
        let (sender, receiver) = oneshot::channel();
        self.add_done_callback(move |outcome| {
            let _ = sender.send(outcome.clone());
        });
        receiver.await.unwrap()
    }
}
