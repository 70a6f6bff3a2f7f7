//! Pitfall: `cancel()` records `Cancelled` and runs the callbacks itself.
//!
//! It looks efficient: why wait for tokio? Because `abort()` only asks. The
//! future is dropped later, so the callbacks are told "cancelled" while the
//! work and its cleanup are still alive: a callback that releases what the
//! task held, or reports "stopped", runs too early.
//!
//! Caught by: done_callbacks_of_a_cancelled_task_run_after_its_cleanup, a_cancelled_task_is_done_cancelled_and_really_stopped

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
        // The bug: announce the end before it happens. The callbacks run and
        // `is_cancelled()` says true while the future (and its cleanup) is
        // still alive; tokio drops it only later.
        let callbacks = {
            let mut state = self.state.lock().unwrap();
            state.outcome = Some(Outcome::Cancelled);
            mem::take(&mut state.callbacks)
        };
        for callback in callbacks {
            callback(&Outcome::Cancelled);
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
