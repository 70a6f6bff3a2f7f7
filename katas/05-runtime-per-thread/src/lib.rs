//! Kata 05: a runtime per thread.
//!
//! Python can combine asyncio with multiprocessing: N processes, each running
//! its own event loop, sending picklable results back over a queue. Build the
//! Rust version with threads: [`run_sharded`] deals the jobs out to N shards,
//! runs each shard on an OS thread of its own with its own current-thread
//! tokio runtime, runs the shard's jobs concurrently there, and collects the
//! results over a channel. A shard that panics must be reported, not lost.
//!
//! Run the tests with `cargo test -p runtime-per-thread`, or `cargo xtask watch`.

use std::any::Any;
use std::thread::{self, ThreadId};
use std::time::Duration;

use tokio::runtime::{Handle, RuntimeFlavor};

/// One unit of async work: plain data, `Send`, like a picklable message.
///
/// This part is given: you do not need to change it.
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
///
/// This part is given: you do not need to change it.
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
/// This part is given: you do not need to change it.
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
///
/// This part is given: you do not need to change it.
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

/// What [`run_sharded`] brings back.
#[derive(Debug, Default)]
pub struct Report {
    /// Every job that finished, in the order the results arrived.
    pub done: Vec<Done>,
    /// Every shard that panicked, in shard order.
    pub failed: Vec<ShardFailure>,
}

/// Runs `jobs` on `shards` OS threads, each with its own current-thread tokio
/// runtime on which its jobs run concurrently.
///
/// Job number `i` (its index in `jobs`) goes to shard `i % shards`. A panic
/// anywhere in a shard stops that shard (its jobs still running are dropped):
/// the report lists it once in `failed`, with the message of its first panic,
/// and keeps the results it had sent before. The other shards are not affected.
///
/// # Panics
/// If `shards` is zero.
pub fn run_sharded(jobs: Vec<Job>, shards: usize) -> Report {
    // TODO: deal the jobs out to `shards` piles (job `i` to pile `i % shards`).
    // TODO: for each pile, start a thread that builds its own current-thread
    // runtime and runs the pile's jobs (with `process`) all at once on it,
    // sending each `Done` over a channel as soon as it is ready.
    // TODO: collect the results until the channel closes, then join every
    // thread and turn each panic into a `ShardFailure`.
    todo!("run {} jobs on {shards} shards: {jobs:?}", jobs.len())
}
