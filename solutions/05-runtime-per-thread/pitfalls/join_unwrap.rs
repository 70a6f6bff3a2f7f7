//! Pitfall: `join().unwrap()` on every shard thread.
//!
//! The panic is not lost this time, it is passed on: one failed shard makes
//! `run_sharded` itself panic, and the results of every healthy shard are
//! thrown away with it. A failure of one shard must be reported, not allowed
//! to take the whole batch down.
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
                runtime.block_on(async move {
                    let mut set = tokio::task::JoinSet::new();
                    for job in pile {
                        set.spawn(process(shard, job));
                    }
                    while let Some(finished) = set.join_next().await {
                        tx.send(finished.unwrap()).unwrap();
                    }
                });
            })
        })
        .collect();
    drop(tx);
    let done = rx.iter().collect();
    for thread in threads {
        thread.join().unwrap();
    }
    Report {
        done,
        failed: Vec::new(),
    }
}
