//! Pitfall: collecting from the channel and never joining the threads.
//!
//! When a shard panics, its sender is dropped while unwinding, the channel
//! closes as usual, and the collecting loop ends as if all were well. The
//! shard's missing results vanish without a word: only `JoinHandle::join`
//! would have said that the thread panicked. (A Python worker process that
//! dies is just as quiet unless someone checks its exit code.)
//!
//! Caught by: a_panicking_shard_is_reported, results_sent_before_a_shard_panics_are_kept

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
    for (shard, pile) in piles.into_iter().enumerate() {
        let tx = tx.clone();
        // The handle is dropped: the thread is detached, its fate unknown.
        thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let mut set = tokio::task::JoinSet::new();
                for job in pile {
                    set.spawn(process(shard, job));
                }
                while let Some(finished) = set.join_next().await {
                    match finished {
                        Ok(done) => tx.send(done).unwrap(),
                        Err(error) => std::panic::resume_unwind(error.into_panic()),
                    }
                }
            });
        });
    }
    drop(tx);
    Report {
        done: rx.iter().collect(),
        failed: Vec::new(),
    }
}
