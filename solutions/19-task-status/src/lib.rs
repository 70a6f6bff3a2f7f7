//! Kata 19, reference solution: how do you know a task finished?
//!
//! A tokio `JoinHandle` answers one question (`is_finished`) and gives the
//! result once, to whoever awaits it. Python's `asyncio.Task` answers more:
//! `done()`, `cancelled()`, `exception()`, `result()`, and it calls
//! `add_done_callback` functions when it ends. [`Task`] builds that on top of
//! tokio with two pieces:
//!
//! * the **work** task runs the caller's future; its `AbortHandle` is how
//!   [`Task::cancel`] asks it to stop;
//! * a **watcher** task awaits the work's `JoinHandle`, turns what it gets
//!   (a value, an `Err`, a panic, a cancellation) into an [`Outcome`], records
//!   it, and runs the callbacks registered so far.
//!
//! The outcome and the list of callbacks sit behind *one* lock. That is what
//! makes "every callback runs exactly once" hold: a callback is either in the
//! list when the watcher takes the list, or it is added after the outcome is
//! recorded and then runs at once. There is no moment in between where it
//! could fall through the cracks.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/19-task-status/src/given.rs"]
mod given;
pub use given::{Outcome, Status, panic_message};

use std::mem;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;
use tokio::task::AbortHandle;

/// A done callback, boxed so that callbacks of different types share a list.
/// `Send` because the watcher task that calls it may run on any worker thread.
type Callback<T> = Box<dyn FnOnce(&Outcome<T>) + Send>;

/// What the handle and the watcher share.
struct State<T> {
    /// `None` while the task runs; set once, by the watcher, and never again.
    outcome: Option<Outcome<T>>,
    /// Callbacks waiting for the outcome, in the order they were added.
    /// Emptied by the watcher when it records the outcome; after that nothing
    /// is ever pushed here again (late callbacks run at once instead).
    callbacks: Vec<Callback<T>>,
}

/// A spawned task that can be asked how it is doing, like `asyncio.Task`.
///
/// Dropping the handle does not stop the task (as dropping a `JoinHandle`
/// does not): it runs on, and its done callbacks still run when it ends.
pub struct Task<T> {
    /// Shared with the watcher task, which outlives this handle if need be.
    /// A std `Mutex`: it is only held for a few assignments, never across an
    /// `.await`, and never while a callback runs.
    state: Arc<Mutex<State<T>>>,
    /// Stops the work task. An `AbortHandle` rather than the `JoinHandle`,
    /// because the `JoinHandle` belongs to the watcher, which awaits it.
    abort: AbortHandle,
}

impl<T: Clone + Send + 'static> Task<T> {
    /// Spawns `future` on the current tokio runtime and returns its handle.
    ///
    /// The task fails if the future returns `Err(message)` or panics.
    ///
    /// # Panics
    /// Outside a tokio runtime, like `tokio::spawn`.
    pub fn spawn<F>(future: F) -> Self
    where
        F: Future<Output = Result<T, String>> + Send + 'static,
    {
        let state = Arc::new(Mutex::new(State {
            outcome: None,
            callbacks: Vec::new(),
        }));

        // The work itself. A panic inside it is caught by tokio and handed to
        // whoever awaits the JoinHandle, so it cannot take the watcher down.
        let work = tokio::spawn(future);
        let abort = work.abort_handle();

        // The watcher: the one place that learns how the work ended. It is
        // detached on purpose (its JoinHandle is dropped at once): it must
        // run to the end even if every `Task` handle is dropped, so that the
        // callbacks still fire. It cannot hang: the work always ends somehow.
        let shared = Arc::clone(&state);
        tokio::spawn(async move {
            let outcome = match work.await {
                Ok(Ok(value)) => Outcome::Succeeded(value),
                Ok(Err(message)) => Outcome::Failed(message),
                // A JoinError is either a panic or a cancellation. By the time
                // the JoinHandle reports a cancellation, tokio has dropped the
                // future: its destructors (its `finally`) have already run.
                Err(error) => match error.try_into_panic() {
                    Ok(payload) => Outcome::Failed(panic_message(&*payload)),
                    Err(_cancelled) => Outcome::Cancelled,
                },
            };

            // Record the outcome and take the waiting callbacks in one step
            // under the lock, then run them *after* releasing it: a callback
            // may well call back into the task (`status()`, another
            // `add_done_callback`), which would deadlock on a lock we held.
            let callbacks = {
                let mut state = shared
                    .lock()
                    .expect("no code panics while holding the lock");
                state.outcome = Some(outcome.clone());
                mem::take(&mut state.callbacks)
            };
            for callback in callbacks {
                callback(&outcome);
            }
        });

        Task { state, abort }
    }

    /// Where the task stands now.
    pub fn status(&self) -> Status {
        self.outcome()
            .map_or(Status::Running, |outcome| outcome.status())
    }

    /// Python's `done()`: true once the task has ended in *any* way, by
    /// succeeding, failing or being cancelled.
    pub fn is_done(&self) -> bool {
        self.status() != Status::Running
    }

    /// Python's `cancelled()`: true once the task has stopped because it was
    /// cancelled (not merely asked to).
    pub fn is_cancelled(&self) -> bool {
        self.status() == Status::Cancelled
    }

    /// Python's `exception()`, without its exceptions: the failure's message
    /// if the task failed, `None` if it is running, succeeded or was cancelled.
    pub fn error(&self) -> Option<String> {
        match self.outcome() {
            Some(Outcome::Failed(message)) => Some(message),
            _ => None,
        }
    }

    /// The outcome, or `None` while the task is running.
    pub fn outcome(&self) -> Option<Outcome<T>> {
        self.state
            .lock()
            .expect("no code panics while holding the lock")
            .outcome
            .clone()
    }

    /// Python's `cancel()`: asks the task to stop and returns `true`, or
    /// returns `false` if it has already ended.
    ///
    /// Cancelling is a request. The task stops at its next `.await`, when
    /// tokio drops its future; only then is the status `Cancelled` and do the
    /// done callbacks run.
    pub fn cancel(&self) -> bool {
        if self.is_done() {
            return false;
        }
        // Only *asks*: tokio drops the future the next time the task would be
        // polled. Recording `Cancelled` here would announce the end of work
        // whose cleanup has not run yet; the watcher records it once tokio
        // confirms the future is gone.
        self.abort.abort();
        true
    }

    /// Python's `add_done_callback`: `callback` runs exactly once with the
    /// outcome. If the task is still running, it runs when the task ends;
    /// if the task has already ended, it runs at once, before this returns.
    ///
    /// A callback may call this task's own methods: it runs with no lock of
    /// the task held.
    pub fn add_done_callback<C>(&self, callback: C)
    where
        C: FnOnce(&Outcome<T>) + Send + 'static,
    {
        // Decide under the lock, act outside it. Checking the outcome and
        // pushing onto the list in the same critical section is what stops a
        // callback from being lost: the watcher cannot record the outcome
        // between our check and our push.
        let finished = {
            let mut state = self
                .state
                .lock()
                .expect("no code panics while holding the lock");
            match &state.outcome {
                Some(outcome) => outcome.clone(),
                None => {
                    state.callbacks.push(Box::new(callback));
                    return;
                }
            }
        };
        // Already done: the watcher has run its list and will not look at it
        // again, so this callback is ours to run, now, without the lock.
        callback(&finished);
    }

    /// Waits until the task has ended and returns its outcome. Any number of
    /// callers may wait, before or after the end.
    pub async fn wait(&self) -> Outcome<T> {
        // Waiting is just a done callback that sends the outcome to us. A
        // oneshot is enough: the callback runs once.
        let (sender, receiver) = oneshot::channel();
        self.add_done_callback(move |outcome| {
            // The receiver is gone only if our caller stopped waiting; then
            // nobody wants the outcome, and dropping it is right.
            let _ = sender.send(outcome.clone());
        });
        receiver
            .await
            .expect("the watcher runs every callback: the sender is never dropped unused")
    }
}
