//! Pitfall: one shared multi-thread runtime instead of a runtime per shard.
//!
//! It is fast and it is concurrent, but it is not sharding: the shards' jobs
//! all land in one scheduler, which moves them between its worker threads
//! as it likes. No shard owns a thread, so nothing that lives on "its" thread
//! (a `!Send` client, a per-process cache, an affinity setting) is possible.
//!
//! Caught by: each_shard_runs_on_its_own_thread

#[path = "../src/lib.rs"]
mod given;
pub use given::{Done, Job, Report, ShardFailure, panic_message, process};

pub fn run_sharded(jobs: Vec<Job>, shards: usize) -> Report {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(shards)
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let handles: Vec<_> = jobs
            .into_iter()
            .enumerate()
            .map(|(i, job)| (i % shards, tokio::spawn(process(i % shards, job))))
            .collect();
        let mut report = Report::default();
        for (shard, handle) in handles {
            match handle.await {
                Ok(done) => report.done.push(done),
                Err(error) => {
                    if !report.failed.iter().any(|f| f.shard == shard) {
                        report.failed.push(ShardFailure {
                            shard,
                            message: panic_message(&*error.into_panic()),
                        });
                    }
                }
            }
        }
        report.failed.sort_by_key(|f| f.shard);
        report
    })
}
