//! Pitfall: chunks of `items / chunks` each, and the remainder forgotten.
//!
//! Integer division rounds down: 10 items in 3 chunks of 3 leave item 9 out,
//! and the sum is silently wrong.
//!
//! Caught by: an_uneven_split_keeps_every_item, the_parallel_sum_is_right, every_item_is_computed_exactly_once

#[path = "../src/lib.rs"]
mod given;
pub use given::{ChunkRun, Job, item_value};

use std::ops::Range;
use std::sync::Arc;

pub fn chunk_ranges(items: u64, chunks: usize) -> Vec<Range<u64>> {
    let chunks = (chunks as u64).min(items);
    if chunks == 0 {
        return Vec::new();
    }
    let size = items / chunks;
    (0..chunks).map(|k| k * size..(k + 1) * size).collect()
}

pub async fn parallel_sum(job: Arc<Job>, chunks: usize) -> u64 {
    let handles: Vec<_> = chunk_ranges(job.items(), chunks)
        .into_iter()
        .map(|range| {
            let job = Arc::clone(&job);
            tokio::task::spawn_blocking(move || job.run_chunk(range))
        })
        .collect();
    let mut total = 0;
    for handle in handles {
        total += handle.await.unwrap();
    }
    total
}
