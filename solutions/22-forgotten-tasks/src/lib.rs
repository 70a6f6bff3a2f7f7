//! Kata 22, reference solution: how do you keep track of "forgotten" tasks?
//!
//! `tokio::spawn` returns a `JoinHandle`; dropping it detaches the task, which
//! then runs on with nobody able to list it, wait for it or stop it. tokio has
//! no `asyncio.all_tasks()`, so a program that spawns in the background keeps
//! its own books. A [`Registry`] does exactly that:
//!
//! * every task is spawned into one `JoinSet`, which owns the handles (so the
//!   tasks can be waited for and aborted), beside a map from each task's id to
//!   the name it was given (so they can be listed);
//! * [`Registry::running`] first reaps the tasks that have ended, so the list
//!   is exact at the moment it is taken;
//! * [`Registry::shutdown`] waits, up to a bound, for the tasks to end on their
//!   own, then aborts the rest and waits until they have really stopped.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/22-forgotten-tasks/src/given.rs"]
mod given;
pub use given::ShutdownReport;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::task::{Id, JoinSet};
use tokio::time::{Instant, timeout_at};

/// A registry of named background tasks: spawn and forget, yet list them and
/// shut them down cleanly later. It is `Send + Sync`: tasks on any thread may
/// share it (in an `Arc`) and call [`spawn`](Self::spawn) and
/// [`running`](Self::running) at the same time.
#[derive(Debug)]
pub struct Registry {
    /// A std `Mutex`, not tokio's: `spawn` and `running` hold the guard for a
    /// few synchronous statements, never across an `.await`. `shutdown` takes
    /// the whole state out of it (it owns `self`), so it awaits with no lock.
    inner: Mutex<Tasks>,
}

/// The books of a [`Registry`].
#[derive(Debug, Default)]
struct Tasks {
    /// Owns every task's handle. A `JoinSet` lets us wait for whichever task
    /// ends next, abort them all, and aborts them anyway if it is dropped: a
    /// registry that is dropped without a shutdown leaves nothing behind.
    set: JoinSet<()>,
    /// The name of each task in `set`, by tokio task id. Keyed by id, not by
    /// name, because two tasks may carry the same name.
    names: HashMap<Id, String>,
}

impl Tasks {
    /// Removes from the books every task that has already ended.
    ///
    /// `try_join_next_with_id` never waits: it hands back a task whose end
    /// has been signalled, or `None` when no more have ended.
    fn reap(&mut self) {
        while let Some(ended) = self.set.try_join_next_with_id() {
            self.names.remove(&task_id(&ended));
        }
    }

    /// The name of a task that `set` has just returned.
    fn take_name(&mut self, id: Id) -> String {
        // Every id in `set` was put in `names` by `spawn`, under the same
        // lock, so the name is always there.
        self.names
            .remove(&id)
            .expect("every registered task has a name")
    }
}

/// The id of a task that a `JoinSet` returned, whether it ended well or not.
fn task_id(ended: &Result<(Id, ()), tokio::task::JoinError>) -> Id {
    match ended {
        Ok((id, ())) => *id,
        Err(error) => error.id(),
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        // Not `Self::default()`: the given `Default` impl calls this.
        Self {
            inner: Mutex::default(),
        }
    }

    /// Starts `task` at once, in the background, under `name`, and keeps track
    /// of it. Names need not be unique.
    ///
    /// # Panics
    /// When called outside a tokio runtime, like `tokio::spawn`.
    pub fn spawn<F>(&self, name: impl Into<String>, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let name = name.into();
        let mut tasks = self.lock();
        // Spawning and recording the name happen under one lock: on a
        // multi-thread runtime the task may end before `spawn` returns, and a
        // `reap` in between would then meet an id with no name.
        let handle = tasks.set.spawn(task);
        tasks.names.insert(handle.id(), name);
    }

    /// The names of the tasks still running, sorted (a name appears once per
    /// task). A task that has ended (returned, panicked or been aborted) is
    /// not listed.
    pub fn running(&self) -> Vec<String> {
        let mut tasks = self.lock();
        tasks.reap();
        let mut names: Vec<String> = tasks.names.values().cloned().collect();
        names.sort();
        names
    }

    /// Shuts the registry down: waits up to `grace` for every task to end on
    /// its own, then aborts those still running and waits until they have
    /// stopped. Returns as soon as every task has ended; never later than
    /// `grace`, plus the moment the aborted tasks take to be dropped. A task
    /// that panics has ended (it is reported as finished). A `grace` too long
    /// for the clock (`Duration::MAX`) means no deadline at all. Dropping the
    /// returned future part-way stops every task still running, all the same.
    pub async fn shutdown(self, grace: Duration) -> ShutdownReport {
        // We own `self`, so nobody can spawn any more: take the books out of
        // the mutex and await freely, with no lock held.
        let mut tasks = self
            .inner
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // The report is about the tasks running *now*: forget those that have
        // already ended.
        tasks.reap();

        let mut report = ShutdownReport::default();
        // One deadline for the whole wait, not `grace` per task: `timeout_at`
        // with a fixed instant keeps the total bounded however many tasks end.
        // A grace too long for the clock to reach (`Duration::MAX`, "as long
        // as it takes") has no deadline: `+` would panic on it.
        let deadline = Instant::now().checked_add(grace);
        loop {
            let next = tasks.set.join_next_with_id();
            let ended = match deadline {
                Some(deadline) => match timeout_at(deadline, next).await {
                    Ok(ended) => ended,
                    // The deadline passed with tasks still running.
                    Err(_elapsed) => break,
                },
                None => next.await,
            };
            // `None`: the set is empty, every task ended in time.
            let Some(ended) = ended else { break };
            let name = tasks.take_name(task_id(&ended));
            report.finished.push(name);
        }

        // Abort only *requests* cancellation: each task's future is dropped
        // the next time the scheduler gets to it. Waiting on the set until it
        // is empty is what makes "nothing left running" true when we return.
        tasks.set.abort_all();
        while let Some(ended) = tasks.set.join_next_with_id().await {
            let name = tasks.take_name(task_id(&ended));
            match ended {
                // Aborted as asked: its future was dropped at an `.await`.
                Err(error) if error.is_cancelled() => report.aborted.push(name),
                // It ended on its own (or panicked) in the instant between the
                // deadline and the abort: it was not cut short.
                _ => report.finished.push(name),
            }
        }

        report.finished.sort();
        report.aborted.sort();
        report
    }

    fn lock(&self) -> MutexGuard<'_, Tasks> {
        // A panic while the lock is held can only come from a bug in this
        // file (the tasks themselves never run under it); the books are still
        // consistent, so carry on rather than poison every later call.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
