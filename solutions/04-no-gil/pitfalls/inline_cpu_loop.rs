//! Pitfall: running the CPU loop inline, on the async worker.
//!
//! The function is `async`, so it looks non-blocking, but there is no `.await`
//! between the chunks: the worker thread computes them one after another, and
//! no other task on it runs until all of them are done. On a current-thread
//! runtime that is every task.
//!
//! Caught by: a_heartbeat_keeps_ticking_while_the_job_runs, chunks_never_run_on_the_async_worker, chunks_run_at_the_same_time_on_several_threads

#[path = "../src/lib.rs"]
mod given;
pub use given::{ChunkRun, Job, chunk_ranges, item_value};

use std::sync::Arc;

pub async fn parallel_sum(job: Arc<Job>, chunks: usize) -> u64 {
    chunk_ranges(job.items(), chunks)
        .into_iter()
        .map(|range| job.run_chunk(range))
        .sum()
}
