//! The given part of kata 05: the jobs, the `process` that runs one of them,
//! and the report that `run_sharded` fills in. You do not need to change this
//! file; the tests and the reference solution use it as it is.

use std::any::Any;
use std::thread::{self, ThreadId};
use std::time::Duration;

use tokio::runtime::{Handle, RuntimeFlavor};

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
}

impl Job {
    /// A job that answers `input * input` after `delay`.
    pub fn new(id: u32, input: u64, delay: Duration) -> Self {
        Self {
            id,
            input,
            delay,
            fails: false,
        }
    }

    /// A job that panics after `delay`, with a message that names it.
    pub fn failing(id: u32, delay: Duration) -> Self {
        Self {
            id,
            input: 0,
            delay,
            fails: true,
        }
    }
}

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
    /// Whether it ran on a current-thread runtime.
    pub on_current_thread_runtime: bool,
}

/// Runs one job on the calling runtime: waits for its delay, then answers, or
/// panics if the job is a failing one. Records the thread and the kind of
/// runtime it ran on.
///
/// # Panics
/// If `job.fails`, or if called outside a tokio runtime.
pub async fn process(shard: usize, job: Job) -> Done {
    tokio::time::sleep(job.delay).await;
    if job.fails {
        panic!("job {} failed on purpose", job.id);
    }
    Done {
        job: job.id,
        output: job.input * job.input,
        shard,
        thread: thread::current().id(),
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
