//! Pitfall: a runtime per shard, used to run one job at a time.
//!
//! Each shard has its own thread and runtime, but it calls `block_on` once per
//! job: the runtime never holds more than one job, so the shard waits out
//! every delay in turn. The runtime is there, the concurrency is not.
//!
//! Caught by: shards_and_their_jobs_all_run_at_the_same_time

#[path = "../src/lib.rs"]
mod given;
pub use given::{Done, Job, Report, ShardFailure, panic_message, process};

use std::sync::mpsc;
use std::thread;

pub fn run_sharded(jobs: Vec<Job>, shards: usize) -> Report {
    let mut piles: Vec<Vec<Job>> = (0..shards).map(|_| Vec::new()).collect();
    for (i, job) in jobs.into_iter().enumerate() {
        piles[i % shards].push(job);
    }
    let (tx, rx) = mpsc::channel();
    let threads: Vec<_> = piles
        .into_iter()
        .enumerate()
        .map(|(shard, pile)| {
            let tx = tx.clone();
            thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                    .unwrap();
                for job in pile {
                    tx.send(runtime.block_on(process(shard, job))).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let done = rx.iter().collect();
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
