//! Pitfall: `cancel()` forgets that a cancelled task has ended too.
//!
//! `cancel()` must answer `false` for a task that has ended in any way, as
//! Python's does. Checking only for success and failure makes a second
//! `cancel()` of an already cancelled task answer `true`: the caller is told
//! that a request was made to a task that no longer exists.
//!
//! Caught by: a_cancelled_task_is_done_cancelled_and_really_stopped

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
        // The bug: "ended" is taken to mean "finished its work", so a task
        // that was already cancelled is cancelled again, and says yes.
        if matches!(self.status(), Status::Succeeded | Status::Failed) {
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
