//! Pitfall: `add_done_callback` only ever stores the callback.
//!
//! The callbacks stored before the end run when the task ends; one added
//! after the end goes into a list that nobody will read again, so it never
//! runs. Python schedules a late callback at once; so must we.
//!
//! Caught by: a_callback_added_after_completion_runs_at_once, every_callback_runs_exactly_once

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
        // The bug: no check for "already done".
        self.state
            .lock()
            .unwrap()
            .callbacks
            .push(Box::new(callback));
    }

    pub async fn wait(&self) -> Outcome<T> {
        let (sender, receiver) = oneshot::channel();
        self.add_done_callback(move |outcome| {
            let _ = sender.send(outcome.clone());
        });
        // Hangs when called after the end: the callback above never runs.
        receiver.await.unwrap()
    }
}
