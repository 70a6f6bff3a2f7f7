//! Pitfall: real OS threads, joined by blocking the async worker.
//!
//! `std::thread::scope` does run the chunks in parallel, on threads of their
//! own, and off the async worker. But the scope only returns when every thread
//! has finished, and it waits by *blocking*: the async worker is stuck in that
//! call for the whole job, so no other task on it runs. Waiting for the chunks
//! must be an `.await`, not a blocking join.
//!
//! Caught by: a_heartbeat_keeps_ticking_while_the_job_runs

#[path = "../src/lib.rs"]
mod given;
pub use given::{ChunkRun, Job, chunk_ranges, item_value};

use std::sync::Arc;

pub async fn parallel_sum(job: Arc<Job>, chunks: usize) -> u64 {
    let ranges = chunk_ranges(job.items(), chunks);
    std::thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .into_iter()
            .map(|range| {
                let job = &job;
                scope.spawn(move || job.run_chunk(range))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
