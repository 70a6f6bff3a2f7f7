//! The given part of kata 04: a CPU-bound job that records which OS thread
//! computed each of its chunks, and when. You do not need to change this file;
//! the tests and the reference solution use it as it is.

use std::ops::Range;
use std::sync::Mutex;
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// The value of item `i` of the job: cheap to compute, impossible to guess
/// without computing it (a bit mixer), and below 1000 so that sums never
/// overflow.
pub fn item_value(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % 1000
}

/// One chunk that [`Job::run_chunk`] computed: which items, on which OS
/// thread, and when (in real time: this is real CPU work, not simulated I/O).
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
#[derive(Debug)]
pub struct Job {
    items: u64,
    cost_per_item: Duration,
    /// An item whose chunk panics instead of finishing, if any.
    failing_item: Option<u64>,
    runs: Mutex<Vec<ChunkRun>>,
}

impl Job {
    /// A job over the items `0..items`, each costing `cost_per_item` of CPU.
    pub fn new(items: u64, cost_per_item: Duration) -> Self {
        Self {
            items,
            cost_per_item,
            failing_item: None,
            runs: Mutex::default(),
        }
    }

    /// A job like [`Job::new`] in which the chunk that contains `item` panics
    /// with the message `"item {item} cannot be computed"` instead of
    /// finishing: what a bug in real number crunching looks like.
    pub fn with_a_failing_item(items: u64, cost_per_item: Duration, item: u64) -> Self {
        Self {
            failing_item: Some(item),
            ..Self::new(items, cost_per_item)
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
    /// If the range reaches past the job's items, or if it holds the failing
    /// item of a job made by [`Job::with_a_failing_item`].
    pub fn run_chunk(&self, range: Range<u64>) -> u64 {
        assert!(
            range.end <= self.items,
            "chunk {range:?} is outside the job's items 0..{}",
            self.items
        );
        if let Some(item) = self.failing_item.filter(|item| range.contains(item)) {
            panic!("item {item} cannot be computed");
        }
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
