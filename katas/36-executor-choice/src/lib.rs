//! Kata 36: choose where blocking jobs run.
//!
//! tokio's blocking pool (`spawn_blocking`) takes every job at once, on a new
//! thread if need be, up to 512 of them. That suits jobs that mostly wait; it
//! does not suit jobs that must be limited: CPU work (no point in more jobs
//! than cores) or calls to a service that takes only so many at a time. Write
//! a [`BoundedPool`] that runs at most `slots` jobs at once and queues the
//! rest in order, and [`run_in_executor`], which runs a job on the
//! [`Executor`] the caller chose, like Python's `loop.run_in_executor`.
//!
//! The [`Probe`] (given, in `src/given.rs`) makes blocking jobs that count
//! how many of them run at once; the tests use it.
//!
//! Run the tests with `cargo test -p executor-choice`, or `cargo xtask watch`.

mod given;
pub use given::{HOLD_LIMIT, Probe};

/// Where a blocking job runs: the `executor` argument of Python's
/// `loop.run_in_executor`.
#[derive(Debug, Clone)]
pub enum Executor {
    /// tokio's blocking pool, Python's `None` (the loop's default executor):
    /// every job starts at once, on a new thread if no idle one is free.
    Default,
    /// A pool with a limit, like a `ThreadPoolExecutor(max_workers=slots)`.
    Bounded(BoundedPool),
}

/// A pool for blocking jobs that runs at most `slots` of them at once; the
/// others wait their turn, first come first served. Clones share the one
/// limit.
#[derive(Debug, Clone)]
pub struct BoundedPool {
    // TODO: what the clones share to keep count of the jobs running.
    _todo: (),
}

impl BoundedPool {
    /// A pool of `slots` slots.
    ///
    /// # Panics
    /// If `slots` is zero: no job could ever run. The message says "at least
    /// one slot".
    pub fn new(slots: usize) -> Self {
        // TODO: refuse zero, then set up what counts the free slots.
        todo!("a pool of {slots} slots")
    }

    /// How many jobs the pool runs at once, at most.
    pub fn slots(&self) -> usize {
        // TODO
        todo!("the number of slots of {self:?}")
    }

    /// Runs the blocking `job` off the async worker once a slot is free, and
    /// returns its value. While it waits for a slot, it costs nothing: no
    /// thread, no polling.
    ///
    /// A caller that gives up while its job waits for a slot takes the job
    /// back: it never runs. A caller that gives up once its job runs cannot
    /// stop it: the job runs to its end, and keeps its slot until then.
    ///
    /// # Panics
    /// If `job` panics: the same panic, in the awaiting task, and the slot is
    /// free again.
    pub async fn run<F, T>(&self, job: F) -> T
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        // TODO: wait (asynchronously) for a free slot, then run the job on a
        // blocking thread, holding the slot until the job itself has ended.
        let _job = job;
        todo!("run a job on {self:?}")
    }
}

/// Runs the blocking `job` on `executor` and returns its value, without
/// blocking the async worker (Python's `loop.run_in_executor`;
/// `asyncio.to_thread` is the same with the default executor).
///
/// # Panics
/// If `job` panics: the same panic, in the awaiting task.
pub async fn run_in_executor<F, T>(executor: &Executor, job: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // TODO: the default executor is tokio's blocking pool; a bounded one is
    // the pool's own `run`.
    let _job = job;
    todo!("run a job on {executor:?}")
}
