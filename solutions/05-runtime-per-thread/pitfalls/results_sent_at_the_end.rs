//! Pitfall: each shard gathers its results and sends them in one batch.
//!
//! The failure is reported, but `join_all`-style gathering means a shard sends
//! nothing until every one of its jobs is done. When one job panics, the
//! results the shard had already computed die with it, although they were
//! ready long before.
//!
//! Caught by: results_sent_before_a_shard_panics_are_kept

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
    let (tx, rx) = mpsc::channel::<Vec<Done>>();
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
                let mut set = tokio::task::JoinSet::new();
                let batch = runtime.block_on(async move {
                    for job in pile {
                        set.spawn(process(shard, job));
                    }
                    let mut batch = Vec::new();
                    while let Some(finished) = set.join_next().await {
                        match finished {
                            Ok(done) => batch.push(done),
                            Err(error) => std::panic::resume_unwind(error.into_panic()),
                        }
                    }
                    batch
                });
                tx.send(batch).unwrap();
            })
        })
        .collect();
    drop(tx);
    let done = rx.iter().flatten().collect();
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
