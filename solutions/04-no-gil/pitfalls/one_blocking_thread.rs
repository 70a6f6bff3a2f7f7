//! Pitfall: one blocking task for the whole job.
//!
//! Moving the work off the async worker keeps the runtime responsive, but one
//! thread computes every chunk in turn: that is the GIL's world (one thread
//! computing at a time) chosen by hand, with every other core idle.
//!
//! Caught by: chunks_run_at_the_same_time_on_several_threads

#[path = "../src/lib.rs"]
mod given;
pub use given::{ChunkRun, Job, chunk_ranges, item_value};

use std::sync::Arc;

pub async fn parallel_sum(job: Arc<Job>, chunks: usize) -> u64 {
    tokio::task::spawn_blocking(move || {
        chunk_ranges(job.items(), chunks)
            .into_iter()
            .map(|range| job.run_chunk(range))
            .sum()
    })
    .await
    .unwrap()
}
