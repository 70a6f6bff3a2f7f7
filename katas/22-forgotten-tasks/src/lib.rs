//! Kata 22: how do you keep track of "forgotten" tasks?
//!
//! `tokio::spawn` returns a `JoinHandle`; drop it and the task runs on,
//! detached, with nobody able to list it, wait for it or stop it. tokio has no
//! `asyncio.all_tasks()`. Build a [`Registry`] that spawns named background
//! tasks and keeps track of them: [`Registry::running`] lists exactly the ones
//! still running, and [`Registry::shutdown`] waits for them up to a bound,
//! aborts the rest, and reports which had to be aborted. Nothing may be left
//! running afterwards.
//!
//! The [`ShutdownReport`] and the `Default` impl of [`Registry`] are given, in
//! `src/given.rs`.
//!
//! Run the tests with `cargo test -p forgotten-tasks`, or `cargo xtask watch`.

mod given;
pub use given::ShutdownReport;

use std::time::Duration;

/// A registry of named background tasks: spawn and forget, yet list them and
/// shut them down cleanly later. It is `Send + Sync`: tasks on any thread may
/// share it (in an `Arc`) and call [`spawn`](Self::spawn) and
/// [`running`](Self::running) at the same time.
#[derive(Debug)]
pub struct Registry {
    // TODO: the books you need. For each task: a way to wait for it, a way to
    // abort it, and its name (names may repeat). `spawn` and `running` take
    // `&self`, so the books need interior mutability, and they may be called
    // from several threads at once: change the books under ONE lock per call.
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        // TODO: start with empty books.
        todo!("create an empty registry")
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
        // TODO: spawn `task` and record it under `name`, so that it can be
        // listed, waited for and aborted later. A plain `tokio::spawn` whose
        // handle you drop is exactly the forgotten task this kata is about.
        todo!(
            "spawn {name:?} ({}) and keep track of it",
            std::any::type_name_of_val(&task)
        )
    }

    /// The names of the tasks still running, sorted (a name appears once per
    /// task). A task that has ended (returned, panicked or been aborted) is
    /// not listed.
    pub fn running(&self) -> Vec<String> {
        // TODO: forget the tasks that have ended (a panic is an end too),
        // then list the names of the others, sorted.
        todo!("list the running tasks of {self:?}")
    }

    /// Shuts the registry down: waits up to `grace` for every task to end on
    /// its own, then aborts those still running and waits until they have
    /// stopped. Returns as soon as every task has ended; never later than
    /// `grace`, plus the moment the aborted tasks take to be dropped. A task
    /// that panics has ended (it is reported as finished). A `grace` too long
    /// for the clock (`Duration::MAX`) means no deadline at all. Dropping the
    /// returned future part-way stops every task still running, all the same.
    pub async fn shutdown(self, grace: Duration) -> ShutdownReport {
        // TODO: wait for the tasks one by one, all under ONE deadline
        // (`Instant::now().checked_add(grace)`: `None` means no deadline);
        // put each that ends in `finished`, a panicked one too. When the
        // deadline passes, abort the rest, and wait for each of them to end
        // before returning: abort only asks. Tasks that ended before the
        // call belong in neither list. If this future is dropped part-way,
        // whatever holds the handles is dropped with it: make sure that
        // stops the tasks rather than detaching them.
        todo!("shut down {self:?} within {grace:?}")
    }
}
