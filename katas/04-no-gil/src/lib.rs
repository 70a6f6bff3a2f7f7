//! Kata 04: no GIL, but never block the async workers.
//!
//! A [`Job`] is CPU-bound work: a sum over many items, each of which keeps a
//! thread busy for a while. Write [`chunk_ranges`], which cuts the items into
//! near-equal chunks, and [`parallel_sum`], which computes the chunks in
//! parallel on OS threads *off* the async worker, so that other tasks on the
//! same runtime keep running while the job does.
//!
//! Run the tests with `cargo test -p no-gil`, or `cargo xtask watch`.

use std::ops::Range;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// The value of item `i` of the job: cheap to compute, impossible to guess
/// without computing it (a bit mixer), and below 1000 so that sums never
/// overflow.
///
/// This part is given: you do not need to change it.
pub fn item_value(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % 1000
}

/// One chunk that [`Job::run_chunk`] computed: which items, on which OS
/// thread, and when (in real time: this is real CPU work, not simulated I/O).
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkRun {
    /// The items of the chunk.
    pub range: Range<u64>,
    /// The OS thread that computed it.
    pub thread: ThreadId,
    /// When the computation started (real time).
    pub started: Instant,
    /// When it finished (real time).
    pub finished: Instant,
}

/// A CPU-bound job: the sum of [`item_value`] over the items `0..items`, where
/// each item also burns `cost_per_item` of CPU time. It records every chunk it
/// runs, so the tests can see who did the work, and when.
///
/// This part is given: you do not need to change it.
#[derive(Debug)]
pub struct Job {
    items: u64,
    cost_per_item: Duration,
    runs: Mutex<Vec<ChunkRun>>,
}

impl Job {
    /// A job over the items `0..items`, each costing `cost_per_item` of CPU.
    pub fn new(items: u64, cost_per_item: Duration) -> Self {
        Self {
            items,
            cost_per_item,
            runs: Mutex::default(),
        }
    }

    /// How many items the job has.
    pub fn items(&self) -> u64 {
        self.items
    }

    /// Computes one chunk and returns the sum of its item values.
    ///
    /// This is blocking, CPU-bound code: it keeps the calling thread busy
    /// (spinning, never sleeping) for about `cost_per_item` × the chunk's length.
    ///
    /// # Panics
    /// If the range reaches past the job's items.
    pub fn run_chunk(&self, range: Range<u64>) -> u64 {
        assert!(
            range.end <= self.items,
            "chunk {range:?} is outside the job's items 0..{}",
            self.items
        );
        let started = Instant::now();
        let sum = range.clone().map(item_value).sum();
        let len = u32::try_from(range.end - range.start).unwrap_or(u32::MAX);
        let deadline = started + self.cost_per_item * len;
        while Instant::now() < deadline {
            std::hint::spin_loop();
        }
        self.runs
            .lock()
            .expect("no chunk panics while logging")
            .push(ChunkRun {
                range,
                thread: thread::current().id(),
                started,
                finished: Instant::now(),
            });
        sum
    }

    /// Every chunk run so far, in the order they finished.
    pub fn runs(&self) -> Vec<ChunkRun> {
        self.runs
            .lock()
            .expect("no chunk panics while logging")
            .clone()
    }
}

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
