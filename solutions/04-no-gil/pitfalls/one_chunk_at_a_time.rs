//! Pitfall: awaiting each chunk before starting the next.
//!
//! Every chunk does leave the async worker, so the heartbeat keeps ticking,
//! but each `spawn_blocking` is awaited before the next one is made: the
//! chunks never run together, and the job takes as long as on one thread.
//!
//! Caught by: chunks_run_at_the_same_time_on_several_threads

#[path = "../src/lib.rs"]
mod given;
pub use given::{ChunkRun, Job, chunk_ranges, item_value};

use std::sync::Arc;

pub async fn parallel_sum(job: Arc<Job>, chunks: usize) -> u64 {
    let mut total = 0;
    for range in chunk_ranges(job.items(), chunks) {
        let job = Arc::clone(&job);
        total += tokio::task::spawn_blocking(move || job.run_chunk(range))
            .await
            .unwrap();
    }
    total
}
