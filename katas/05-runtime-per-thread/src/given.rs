//! The given part of kata 05: the jobs, the `process` that runs one of them,
//! and the report that `run_sharded` fills in. You do not need to change this
//! file; the tests and the reference solution use it as it is.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::thread::{self, ThreadId};
use std::time::Duration;

use tokio::runtime::{self, Handle, RuntimeFlavor};
use tokio::sync::watch;

/// One unit of async work: plain data, `Send`, like a picklable message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The job's name in the results.
    pub id: u32,
    /// What to compute on: the result is `input * input`.
    pub input: u64,
    /// How long the job waits (on tokio's clock) before answering: its "I/O".
    pub delay: Duration,
    /// Whether the job panics once its delay is over.
    pub fails: bool,
    /// A meeting point the job waits at before its delay starts, if any.
    pub meets: Option<Rendezvous>,
}

impl Job {
    /// A job that answers `input * input` after `delay`.
    pub fn new(id: u32, input: u64, delay: Duration) -> Self {
        Self {
            id,
            input,
            delay,
            fails: false,
            meets: None,
        }
    }

    /// A job that panics after `delay`, with a message that names it.
    pub fn failing(id: u32, delay: Duration) -> Self {
        Self {
            id,
            input: 0,
            delay,
            fails: true,
            meets: None,
        }
    }

    /// The same job, made to wait at `rendezvous` before its delay starts.
    pub fn meeting(mut self, rendezvous: &Rendezvous) -> Self {
        self.meets = Some(rendezvous.clone());
        self
    }
}

/// A meeting point that proves jobs run at the same time, whatever the
/// machine's load: every job that carries it waits there until `size` jobs
/// have arrived, so they can only get past it if they are all in flight at
/// once. A job that waits longer than `patience` panics and says so.
///
/// It works across threads and runtimes; clones are the same meeting point.
#[derive(Clone)]
pub struct Rendezvous {
    size: usize,
    patience: Duration,
    /// How many jobs have arrived so far.
    arrived: Arc<watch::Sender<usize>>,
}

impl Rendezvous {
    /// A meeting point for `size` jobs, each waiting at most `patience`.
    pub fn new(size: usize, patience: Duration) -> Self {
        Self {
            size,
            patience,
            arrived: Arc::new(watch::Sender::new(0)),
        }
    }

    /// Arrives, then waits for the others. `job` names the job in the panic.
    async fn meet(&self, job: u32) {
        self.arrived.send_modify(|count| *count += 1);
        let mut count = self.arrived.subscribe();
        let met = count.wait_for(|&count| count >= self.size);
        if tokio::time::timeout(self.patience, met).await.is_err() {
            let count = *self.arrived.borrow();
            panic!(
                "job {job} waited {:?} for the other jobs of its rendezvous, but only \
                 {count} of {} ever got there: they do not all run at the same time",
                self.patience, self.size
            );
        }
    }
}

impl fmt::Debug for Rendezvous {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendezvous")
            .field("size", &self.size)
            .field("arrived", &*self.arrived.borrow())
            .finish_non_exhaustive()
    }
}

/// Two handles are equal when they are the same meeting point.
impl PartialEq for Rendezvous {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.arrived, &other.arrived)
    }
}

impl Eq for Rendezvous {}

/// The record of one finished job: its answer, and where it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The job's id.
    pub job: u32,
    /// `input * input`.
    pub output: u64,
    /// The shard that ran the job (as told to [`process`]).
    pub shard: usize,
    /// The OS thread the job finished on.
    pub thread: ThreadId,
    /// The tokio runtime it ran on.
    pub runtime: runtime::Id,
    /// Whether it ran on a current-thread runtime.
    pub on_current_thread_runtime: bool,
}

/// Runs one job on the calling runtime: meets the other jobs of its
/// rendezvous if it has one, waits for its delay, then answers, or panics if
/// the job is a failing one. Records the thread and the runtime it ran on.
///
/// # Panics
/// If `job.fails` (with the message "job N failed on purpose", raised by
/// `resume_unwind`, so nothing is printed), if the other jobs of its
/// rendezvous do not all arrive, or if called outside a tokio runtime.
pub async fn process(shard: usize, job: Job) -> Done {
    if let Some(rendezvous) = &job.meets {
        rendezvous.meet(job.id).await;
    }
    if !job.delay.is_zero() {
        tokio::time::sleep(job.delay).await;
    }
    if job.fails {
        // A panic like `panic!`'s, with the message as its payload, but raised
        // without the panic hook: no message or backtrace printed for jobs
        // that fail on purpose, and no time spent capturing one.
        std::panic::resume_unwind(Box::new(format!("job {} failed on purpose", job.id)));
    }
    Done {
        job: job.id,
        output: job.input * job.input,
        shard,
        thread: thread::current().id(),
        runtime: Handle::current().id(),
        on_current_thread_runtime: Handle::current().runtime_flavor()
            == RuntimeFlavor::CurrentThread,
    }
}

/// The text of a panic, from the payload that `JoinHandle::join` (or
/// `JoinError::into_panic`) hands back.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic with a payload that is not text".to_owned()
    }
}

/// A shard that panicked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardFailure {
    /// The shard's index.
    pub shard: usize,
    /// Its panic message.
    pub message: String,
}

/// What [`run_sharded`](crate::run_sharded) brings back.
#[derive(Debug, Default)]
pub struct Report {
    /// Every job that finished, in the order the results arrived.
    pub done: Vec<Done>,
    /// Every shard that panicked, in shard order.
    pub failed: Vec<ShardFailure>,
}
