//! Pitfall: each shard thread is joined before the next one is started.
//!
//! Every shard has a thread and a runtime of its own, and runs its jobs
//! concurrently, but `join` right after `spawn` makes the caller wait for one
//! shard before it starts the next. The threads never overlap: N shards take
//! N times as long as one, like a process pool with a single worker.
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
    let mut report = Report::default();
    for (shard, pile) in piles.into_iter().enumerate() {
        let tx = tx.clone();
        let thread = thread::spawn(move || {
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
        if let Err(payload) = thread.join() {
            report.failed.push(ShardFailure {
                shard,
                message: panic_message(&*payload),
            });
        }
    }
    drop(tx);
    report.done = rx.iter().collect();
    report
}
