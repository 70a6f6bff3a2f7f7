//! Pitfall: every chunk gets `items / chunks`, and the last one takes the rest.
//!
//! No item is lost, and the sum is right, but the split is not balanced: 10
//! items in 4 chunks become 2, 2, 2 and 4. The last chunk can be almost twice
//! as long as the others, and since the job ends when its slowest chunk ends,
//! that one chunk decides how long everything takes. The remainder must be
//! shared out, one item each to the first chunks.
//!
//! Caught by: an_uneven_split_keeps_every_item, every_item_is_computed_exactly_once

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
    (0..chunks)
        .map(|k| {
            let end = if k + 1 == chunks { items } else { (k + 1) * size };
            k * size..end
        })
        .collect()
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
