//! Pitfall: running the done callbacks while holding the task's lock.
//!
//! Checking the outcome and storing the callback under one lock is right;
//! calling the callbacks under that same lock is not. A callback that asks
//! its task anything (`status()`, `outcome()`, another `add_done_callback`)
//! locks a std `Mutex` that its own thread already holds, and the thread
//! waits for itself forever. Collect what to call under the lock, release
//! it, then call.
//!
//! Caught by: a_callback_may_call_back_into_its_task

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
            // The bug: the callbacks run inside the critical section.
            let mut state = shared.lock().unwrap();
            state.outcome = Some(outcome.clone());
            for callback in mem::take(&mut state.callbacks) {
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
        // No callback can be lost: the check and the push share one lock.
        // But a late callback runs while that lock is still held.
        let mut state = self.state.lock().unwrap();
        match &state.outcome {
            Some(outcome) => callback(outcome),
            None => state.callbacks.push(Box::new(callback)),
        }
    }

    pub async fn wait(&self) -> Outcome<T> {
        let (sender, receiver) = oneshot::channel();
        self.add_done_callback(move |outcome| {
            let _ = sender.send(outcome.clone());
        });
        receiver.await.unwrap()
    }
}
