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

use std::sync::mpsc;
use std::thread;

use tokio::task::JoinSet;

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/05-runtime-per-thread/src/given.rs"]
mod given;
pub use given::{Done, Job, Rendezvous, Report, ShardFailure, panic_message, process};

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
