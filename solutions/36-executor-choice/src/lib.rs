//! Kata 36, reference solution: choose where blocking jobs run.
//!
//! tokio's blocking pool is the default executor: `spawn_blocking` starts
//! every job at once, on a new thread if no idle one is free, up to 512
//! threads. That is right for jobs that mostly wait, and wrong for jobs that
//! must be limited: CPU work (more jobs than cores only adds switching) or
//! calls to a service that accepts so many at a time.
//!
//! [`BoundedPool`] adds the limit in front of the same threads: a semaphore
//! with one permit per slot. A job first waits, asynchronously and in turn,
//! for a permit; then it runs on the blocking pool, and the permit travels
//! *with the job* into its closure, so the slot is freed when the job ends,
//! not when its caller stops waiting. [`run_in_executor`] picks the pool the
//! caller chose, like Python's `loop.run_in_executor`.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/36-executor-choice/src/given.rs"]
mod given;
pub use given::{HOLD_LIMIT, Probe};

use std::sync::Arc;

use tokio::sync::Semaphore;

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
    /// One permit per free slot. The `Arc` is what makes clones share the
    /// limit, and what lets a permit be *owned* (`acquire_owned`), so that it
    /// can move into a job's `'static` closure.
    free: Arc<Semaphore>,
    slots: usize,
}

impl BoundedPool {
    /// A pool of `slots` slots.
    ///
    /// # Panics
    /// If `slots` is zero: no job could ever run. The message says "at least
    /// one slot".
    pub fn new(slots: usize) -> Self {
        assert!(
            slots > 0,
            "a pool needs at least one slot: with none, every job would wait forever"
        );
        Self {
            free: Arc::new(Semaphore::new(slots)),
            slots,
        }
    }

    /// How many jobs the pool runs at once, at most.
    pub fn slots(&self) -> usize {
        self.slots
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
        // Waiting for a permit is an `.await`: the task sleeps until a job
        // ends and hands its permit on, with no thread and no polling spent.
        // tokio's semaphore is fair, so waiters get their slots in the order
        // they asked. If the caller gives up here, the job was never
        // spawned: dropping this future drops the wait and the job with it.
        //
        // `acquire_owned` fails only once the semaphore is closed, and this
        // pool never closes it.
        let permit = Arc::clone(&self.free)
            .acquire_owned()
            .await
            .expect("the pool never closes its semaphore");
        // The permit moves into the job's closure and is dropped when the
        // closure ends, returns or panics. Had it stayed in this future, a
        // caller giving up (a timeout, a `select!`) would free the slot while
        // the job, which `spawn_blocking` cannot stop, still ran: one job
        // more than the limit.
        let job = move || {
            let _slot = permit;
            job()
        };
        match tokio::task::spawn_blocking(job).await {
            Ok(value) => value,
            // The job panicked on its thread: pass the very same panic on.
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            // A blocking job is cancelled only when the runtime shuts down
            // before a thread took it: there is no value to return.
            Err(error) => panic!("the job never ran: {error}"),
        }
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
    match executor {
        // The default executor is tokio's blocking pool itself, with no
        // limit of ours in front of it.
        Executor::Default => match tokio::task::spawn_blocking(job).await {
            Ok(value) => value,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(error) => panic!("the job never ran: {error}"),
        },
        Executor::Bounded(pool) => pool.run(job).await,
    }
}
