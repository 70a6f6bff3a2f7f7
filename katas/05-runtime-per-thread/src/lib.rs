//! Kata 05: a runtime per thread.
//!
//! Python can combine asyncio with multiprocessing: N processes, each running
//! its own event loop, sending picklable results back over a queue. Build the
//! Rust version with threads: [`run_sharded`] deals the jobs out to N shards,
//! runs each shard on an OS thread of its own with its own current-thread
//! tokio runtime, runs the shard's jobs concurrently there, and collects the
//! results over a channel. A shard that panics must be reported, not lost.
//!
//! The jobs, [`process`], [`panic_message`] and the [`Report`] to fill in are
//! given, in `src/given.rs`: you do not need to change them.
//!
//! Run the tests with `cargo test -p runtime-per-thread`, or `cargo xtask watch`.

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
    // TODO: deal the jobs out to `shards` piles (job `i` to pile `i % shards`).
    // TODO: for each pile, start a thread that builds its own current-thread
    // runtime and runs the pile's jobs (with `process`) all at once on it,
    // sending each `Done` over a channel as soon as it is ready.
    // TODO: collect the results until the channel closes, then join every
    // thread and turn each panic into a `ShardFailure`.
    todo!(
        "deal the jobs out to {shards} shards, {} in all",
        jobs.len()
    )
}
