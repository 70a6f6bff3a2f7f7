//! Kata 05, reference solution: a runtime per thread.
//!
//! Python combines asyncio with multiprocessing by starting N processes, each
//! running its own event loop, and passing picklable data back over a queue.
//! The Rust shape is the same with threads instead of processes:
//! [`run_sharded`] deals the jobs out to N shards, starts one OS thread per
//! shard, and each thread builds its *own* current-thread runtime and runs its
//! jobs concurrently on it. Results come back over a channel as they finish.
//!
//! Only `Send` values may move to another thread (the compiler checks it, as
//! pickling checks what may cross to another process): the jobs go in, the
//! [`Done`] records come out, and nothing else is shared. Each runtime stays
//! on the thread that built it.
//!
//! A shard that panics is not an error to lose: its thread's `JoinHandle`
//! carries the panic, and the report names the shard and its message. The
//! results it sent before it failed are already in the channel, and are kept.

use std::any::Any;
use std::sync::mpsc;
use std::thread::{self, ThreadId};
use std::time::Duration;

use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::task::JoinSet;

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
    assert!(shards > 0, "cannot run jobs on zero shards");

    // Deal the jobs out like cards: job `i` to shard `i % shards`.
    let mut piles: Vec<Vec<Job>> = (0..shards).map(|_| Vec::new()).collect();
    for (i, job) in jobs.into_iter().enumerate() {
        piles[i % shards].push(job);
    }

    // A std channel, because the receiving end is this plain, blocking
    // function. Sending on an unbounded std channel never blocks, so the
    // shards may call `send` from async code without holding up their loop.
    let (results, arrivals) = mpsc::channel::<Done>();

    let threads: Vec<_> = piles
        .into_iter()
        .enumerate()
        .map(|(shard, pile)| {
            // Each thread owns a sender and its pile of jobs: both are `Send`,
            // which is exactly what `thread::spawn` demands of the closure.
            let results = results.clone();
            thread::Builder::new()
                .name(format!("shard-{shard}"))
                .spawn(move || run_shard(shard, pile, results))
                // Failing to start a thread means the OS is out of resources;
                // there is nothing sensible to report instead.
                .expect("the OS could start a shard thread")
        })
        .collect();

    // Drop our own sender: the channel closes when the last *shard* drops
    // its sender, by finishing or by unwinding from a panic. Without this
    // line the loop below would wait forever.
    drop(results);
    let done: Vec<Done> = arrivals.iter().collect();

    // Every shard is over now; `join` tells the finished ones from the ones
    // that panicked. Ignoring it (or never joining) is how a failed shard's
    // missing results go unnoticed.
    let failed = threads
        .into_iter()
        .enumerate()
        .filter_map(|(shard, thread)| {
            let payload = thread.join().err()?;
            Some(ShardFailure {
                shard,
                message: panic_message(&*payload),
            })
        })
        .collect();

    Report { done, failed }
}

/// The body of one shard's thread: a runtime of its own, its jobs run
/// concurrently on it, each result sent as soon as it is ready.
fn run_shard(shard: usize, jobs: Vec<Job>, results: mpsc::Sender<Done>) {
    // A current-thread runtime runs every task on this one thread, so the
    // shard's jobs never wander to another shard's thread. Only the timer
    // is needed: the jobs wait on tokio's clock, not on sockets.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime with a timer always builds");

    runtime.block_on(async move {
        // A JoinSet runs the jobs as tasks of this runtime, all at once, and
        // hands back each result as it finishes.
        let mut in_flight = JoinSet::new();
        for job in jobs {
            in_flight.spawn(process(shard, job));
        }
        while let Some(finished) = in_flight.join_next().await {
            match finished {
                // Send at once: if a later job panics, what was sent is kept.
                // The receiver outlives every shard, so `send` cannot fail;
                // if it somehow did, there is nobody left to tell.
                Ok(done) => drop(results.send(done)),
                // A job panicked: fail the whole shard with the job's own
                // panic. Unwinding drops the JoinSet, which aborts the jobs
                // still running, and drops `results`.
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                // Nothing aborts these tasks while the JoinSet is alive.
                Err(error) => panic!("a job of shard {shard} was cancelled: {error}"),
            }
        }
    });
}
