//! Pitfall: learning the outcome only when somebody calls `wait()`.
//!
//! Nothing awaits the `JoinHandle` until `wait()` does, so a task nobody
//! waits for stays "running" forever in the handle's eyes and its done
//! callbacks never fire: exactly the fire-and-forget task whose "log when
//! done" callback mattered most.
//!
//! Caught by: callbacks_run_without_anyone_waiting, callbacks_still_run_after_the_handle_is_dropped

#[path = "../src/lib.rs"]
mod given;
pub use given::{Outcome, Status, panic_message};

use std::mem;
use std::sync::{Arc, Mutex};

use tokio::task::{AbortHandle, JoinHandle};

type Callback<T> = Box<dyn FnOnce(&Outcome<T>) + Send>;

struct State<T> {
    outcome: Option<Outcome<T>>,
    callbacks: Vec<Callback<T>>,
}

pub struct Task<T> {
    state: Arc<Mutex<State<T>>>,
    abort: AbortHandle,
    work: tokio::sync::Mutex<Option<JoinHandle<Result<T, String>>>>,
}

impl<T: Clone + Send + 'static> Task<T> {
    pub fn spawn<F>(future: F) -> Self
    where
        F: Future<Output = Result<T, String>> + Send + 'static,
    {
        let work = tokio::spawn(future);
        Task {
            state: Arc::new(Mutex::new(State {
                outcome: None,
                callbacks: Vec::new(),
            })),
            abort: work.abort_handle(),
            work: tokio::sync::Mutex::new(Some(work)),
        }
    }

    pub fn status(&self) -> Status {
        self.outcome()
            .map_or(Status::Running, |outcome| outcome.status())
    }

    pub fn is_done(&self) -> bool {
        self.status() != Status::Running
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
        // The bug: the JoinHandle is awaited here, and only here.
        let mut work = self.work.lock().await;
        if let Some(handle) = work.take() {
            let outcome = match handle.await {
                Ok(Ok(value)) => Outcome::Succeeded(value),
                Ok(Err(message)) => Outcome::Failed(message),
                Err(error) => match error.try_into_panic() {
                    Ok(payload) => Outcome::Failed(panic_message(&*payload)),
                    Err(_) => Outcome::Cancelled,
                },
            };
            let callbacks = {
                let mut state = self.state.lock().unwrap();
                state.outcome = Some(outcome.clone());
                mem::take(&mut state.callbacks)
            };
            for callback in callbacks {
                callback(&outcome);
            }
        }
        self.outcome().unwrap()
    }
}
