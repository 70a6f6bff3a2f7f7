//! Pitfall: a failed job is recorded, and its shard carries on.
//!
//! Turning each job's panic into a `ShardFailure` and moving on to the next
//! job looks forgiving, but it is not what was asked: a panic stops its shard,
//! as an exception that escapes `asyncio.run` ends a worker process. Here a
//! shard with two failing jobs is reported twice, and jobs that should have
//! been dropped with their shard go on running and reporting.
//!
//! Caught by: a_shard_stops_at_its_first_panic

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
    let (tx, rx) = mpsc::channel::<Result<Done, ShardFailure>>();
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
                        let outcome = finished.map_err(|error| ShardFailure {
                            shard,
                            message: panic_message(&*error.into_panic()),
                        });
                        tx.send(outcome).unwrap();
                    }
                });
            })
        })
        .collect();
    drop(tx);
    let mut report = Report::default();
    for outcome in rx {
        match outcome {
            Ok(done) => report.done.push(done),
            Err(failure) => report.failed.push(failure),
        }
    }
    for thread in threads {
        thread.join().unwrap();
    }
    report.failed.sort_by_key(|failure| failure.shard);
    report
}
