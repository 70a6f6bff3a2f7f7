//! Kata 04, reference solution: no GIL, but never block the async workers.
//!
//! Rust has no global interpreter lock: two OS threads run Rust code on two
//! cores at the same time. What Rust *does* have is a small set of async
//! worker threads (one on a current-thread runtime) that every task shares, and
//! a task only gives its worker back at an `.await`. A CPU loop has no
//! `.await`, so running it on a worker freezes every other task there.
//!
//! [`parallel_sum`] therefore cuts the job into chunks ([`chunk_ranges`]) and
//! hands each chunk to tokio's blocking pool with `spawn_blocking`. Each chunk
//! gets its own OS thread, the chunks run in parallel, and the async worker
//! only *waits* for their results, which costs it nothing.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/04-no-gil/src/given.rs"]
mod given;
pub use given::{ChunkRun, Job, item_value};

use std::ops::Range;
use std::sync::Arc;

/// Splits the items `0..items` into at most `chunks` contiguous, non-empty
/// ranges that cover every item exactly once and differ in length by one at
/// most. No items give no ranges.
///
/// # Panics
/// If `chunks` is zero.
pub fn chunk_ranges(items: u64, chunks: usize) -> Vec<Range<u64>> {
    assert!(chunks > 0, "cannot split a job into zero chunks");
    // Never more chunks than items: an empty chunk would cost a thread for
    // nothing. `usize` always fits in `u64` on the platforms tokio supports.
    let chunks = u64::try_from(chunks).expect("usize fits in u64").min(items);
    if chunks == 0 {
        return Vec::new();
    }
    // `base` items each, and the first `extra` chunks take one more, so that
    // no item is lost to the rounding of the division.
    let base = items / chunks;
    let extra = items % chunks;
    let mut start = 0;
    (0..chunks)
        .map(|k| {
            let len = base + u64::from(k < extra);
            let range = start..start + len;
            start += len;
            range
        })
        .collect()
}

/// Computes the job's sum in parallel: splits it into `chunks` chunks and runs
/// each on its own thread of tokio's blocking pool, so that the async worker
/// that awaits this future stays free for other tasks.
///
/// # Panics
/// If `chunks` is zero, or if a chunk panics (its panic is passed on).
pub async fn parallel_sum(job: Arc<Job>, chunks: usize) -> u64 {
    // Start every chunk before awaiting any of them: `spawn_blocking` starts
    // its closure on a pool thread at once, and the pool grows a new thread
    // for each closure that finds no idle one, so the chunks run side by side.
    //
    // The closure must be `'static` (it may outlive this call), so each one
    // gets its own handle on the job: that is what the `Arc` is for.
    let handles: Vec<_> = chunk_ranges(job.items(), chunks)
        .into_iter()
        .map(|range| {
            let job = Arc::clone(&job);
            tokio::task::spawn_blocking(move || job.run_chunk(range))
        })
        .collect();

    // Awaiting a `JoinHandle` parks this task without blocking the worker:
    // other tasks run while the chunks compute. The order of the awaits does
    // not matter, since all the chunks are already running.
    let mut total = 0;
    for handle in handles {
        total += match handle.await {
            Ok(sum) => sum,
            // A chunk that panicked: pass its panic on rather than return a
            // wrong sum.
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            // A blocking task cannot be aborted once it runs; it is cancelled
            // only if the runtime shuts down before it starts.
            Err(error) => panic!("a chunk never ran: {error}"),
        };
    }
    total
}
