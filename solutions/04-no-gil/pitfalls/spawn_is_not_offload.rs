//! Pitfall: `tokio::spawn` for CPU work.
//!
//! A spawned task runs on an async worker like any other. Its CPU loop has no
//! `.await`, so it holds that worker until it is done. On a current-thread
//! runtime the "parallel" chunks run one after another on the only thread,
//! and the heartbeat waits for all of them. (Python's `create_task` has the
//! same trap.)
//!
//! Caught by: a_heartbeat_keeps_ticking_while_the_job_runs, chunks_never_run_on_the_async_worker, chunks_run_at_the_same_time_on_several_threads

#[path = "../src/lib.rs"]
mod given;
pub use given::{ChunkRun, Job, chunk_ranges, item_value};

use std::sync::Arc;

pub async fn parallel_sum(job: Arc<Job>, chunks: usize) -> u64 {
    let handles: Vec<_> = chunk_ranges(job.items(), chunks)
        .into_iter()
        .map(|range| {
            let job = Arc::clone(&job);
            tokio::spawn(async move { job.run_chunk(range) })
        })
        .collect();
    let mut total = 0;
    for handle in handles {
        total += handle.await.unwrap();
    }
    total
}
