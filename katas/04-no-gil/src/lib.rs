//! Kata 04: no GIL, but never block the async workers.
//!
//! A [`Job`] is CPU-bound work: a sum over many items, each of which keeps a
//! thread busy for a while. Write [`chunk_ranges`], which cuts the items into
//! near-equal chunks, and [`parallel_sum`], which computes the chunks in
//! parallel on OS threads *off* the async worker, so that other tasks on the
//! same runtime keep running while the job does.
//!
//! The job itself ([`Job`], [`ChunkRun`], [`item_value`]) is given, in
//! `src/given.rs`: you do not need to change it.
//!
//! Run the tests with `cargo test -p no-gil`, or `cargo xtask watch`.

mod given;
pub use given::{ChunkRun, Job, item_value};

use std::ops::Range;
use std::sync::Arc;

/// Splits the items `0..items` into at most `chunks` contiguous, non-empty
/// ranges that cover every item exactly once and differ in length by one at
/// most. No items give no ranges.
///
/// For example, 20 items in 4 chunks are `[0..5, 5..10, 10..15, 15..20]`, and
/// 3 items in 8 chunks are `[0..1, 1..2, 2..3]`.
///
/// # Panics
/// If `chunks` is zero.
pub fn chunk_ranges(items: u64, chunks: usize) -> Vec<Range<u64>> {
    // TODO: never make more chunks than items; share out the remainder of
    // `items / chunks` so that no item is lost.
    todo!("split 0..{items} into {chunks} even chunks")
}

/// Computes the job's sum in parallel: splits it into `chunks` chunks and runs
/// each on its own OS thread, off the async worker, so that other tasks on the
/// runtime that awaits this future keep running meanwhile.
///
/// # Panics
/// If `chunks` is zero, or if a chunk panics (its panic is passed on).
pub async fn parallel_sum(job: Arc<Job>, chunks: usize) -> u64 {
    // TODO: start every chunk on a thread of its own (tokio has a pool of
    // threads for blocking work), then await all the results and add them up.
    todo!(
        "sum {} items of {job:?} in {chunks} parallel chunks",
        job.items()
    )
}
