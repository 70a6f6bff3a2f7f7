//! Pitfall: failures reported in the order they happened, not in shard order.
//!
//! Each shard catches its own panic and sends it over the channel next to the
//! results. Nothing is lost, but the report lists the failed shards in
//! whatever order they failed: a shard that failed late comes after one that
//! failed early, whatever their numbers. The report promises shard order, and
//! a caller that zips it with its shards would blame the wrong ones.
//!
//! Caught by: a_panicking_shard_is_reported

#[path = "../src/lib.rs"]
mod given;
pub use given::{Done, Job, Report, ShardFailure, panic_message, process};

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread;

pub fn run_sharded(jobs: Vec<Job>, shards: usize) -> Report {
    let mut piles: Vec<Vec<Job>> = (0..shards).map(|_| Vec::new()).collect();
    for (i, job) in jobs.into_iter().enumerate() {
        piles[i % shards].push(job);
    }
    let (tx, rx) = mpsc::channel::<Result<Done, ShardFailure>>();
    for (shard, pile) in piles.into_iter().enumerate() {
        let tx = tx.clone();
        thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            let sender = tx.clone();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                runtime.block_on(async move {
                    let mut set = tokio::task::JoinSet::new();
                    for job in pile {
                        set.spawn(process(shard, job));
                    }
                    while let Some(finished) = set.join_next().await {
                        match finished {
                            Ok(done) => sender.send(Ok(done)).unwrap(),
                            Err(error) => std::panic::resume_unwind(error.into_panic()),
                        }
                    }
                });
            }));
            if let Err(payload) = outcome {
                let message = panic_message(&*payload);
                tx.send(Err(ShardFailure { shard, message })).unwrap();
            }
        });
    }
    drop(tx);
    let mut report = Report::default();
    for outcome in rx {
        match outcome {
            Ok(done) => report.done.push(done),
            Err(failure) => report.failed.push(failure),
        }
    }
    report
}
