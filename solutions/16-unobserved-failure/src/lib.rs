//! Kata 16, reference solution: what happens when a task nobody awaits fails?
//!
//! In tokio a spawned task ends in one of two bad ways: it *returns* an `Err`,
//! or it *panics*. Either way the outcome lands in its `JoinHandle`, and only
//! there. Drop the handle ("fire and forget") and an `Err` vanishes without a
//! trace, while a panic is printed once by the panic hook and then forgotten:
//! nothing in the program can react to it.
//!
//! The [`Supervisor`] keeps every handle observed. [`Supervisor::spawn`] starts
//! the task and, beside it, a small *watcher* task that awaits the task's
//! handle and turns a bad outcome into a [`Failure`] carrying the task's name.
//! Failures travel over a channel to [`Failures`], so they are reported the
//! moment they happen, whatever the owner of the supervisor is doing.
//!
//! The channel also tells when the story is over: every watcher holds a
//! sender, and so does every `Supervisor` clone. Once the supervisor is dropped
//! and the last task has finished, the last sender is gone and
//! [`Failures::recv`] returns `None`.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/16-unobserved-failure/src/given.rs"]
mod given;
pub use given::{Failure, FailureKind, Failures, Supervisor, panic_message, supervisor};

use std::fmt;

impl Supervisor {
    /// Starts `task` at once under `name`. If it returns `Err` or panics, a
    /// [`Failure`] with that name is reported, at the moment it happens. A
    /// task that returns `Ok(())` is not reported.
    pub fn spawn<F, E>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        let name = name.into();
        // Each watcher owns a sender: the failure channel stays open until the
        // last watcher is done, even after the supervisor itself is dropped.
        let report = self.report.clone();

        // The task itself. Its panic, if any, is caught by the runtime at the
        // task boundary and stored in the handle: it cannot escape into the
        // watcher or anywhere else.
        let handle = tokio::spawn(task);

        // The watcher. Spawning it (rather than awaiting `handle` somewhere
        // else, one handle after another) means each failure is seen when it
        // happens, not when the tasks spawned before it have finished.
        tokio::spawn(async move {
            let kind = match handle.await {
                Ok(Ok(())) => return,
                Ok(Err(error)) => FailureKind::Error(error.to_string()),
                Err(join_error) if join_error.is_panic() => {
                    // `into_panic` gives the payload `panic!` was called with.
                    // Dereference the box: `downcast_ref` on the `Box` itself
                    // would look for a `Box`, and never find the message.
                    FailureKind::Panic(panic_message(&*join_error.into_panic()))
                }
                // The only other way a task ends is by being aborted. Nobody
                // else holds its handle, so that happens only when the runtime
                // shuts down and drops every task; that is not a failure of
                // this task, and there is nobody left to tell.
                Err(_) => return,
            };
            // `send` fails only when `Failures` was dropped: nobody wants the
            // report any more, so dropping it is right.
            let _ = report.send(Failure { task: name, kind });
        });
    }
}
