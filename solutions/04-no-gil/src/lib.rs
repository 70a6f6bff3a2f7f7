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
        // Burn the CPU until the chunk's cost is paid: a busy loop, like real
        // number crunching, so the thread is never free while it runs.
        let len = u32::try_from(range.end - range.start).unwrap_or(u32::MAX);
        let deadline = started + self.cost_per_item * len;
        while Instant::now() < deadline {
            std::hint::spin_loop();
        }
        // A std Mutex is right here: the guard lives for this one statement,
        // and this is plain blocking code with no `.await` anywhere.
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
