//! Kata 04 tests: CPU-bound chunks in parallel, off the async worker.
//!
//! These tests use *real* time, not tokio's paused clock: the work is real CPU
//! work on real OS threads, and the paused clock cannot see it. So durations
//! are short (tens of milliseconds), margins are wide, and no test compares
//! real time for equality. Every `#[tokio::test]` here runs on a
//! current-thread runtime: one async worker, the test's own thread.

use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use no_gil::{Job, chunk_ranges, item_value, parallel_sum};

/// Long enough for any right answer; a hang fails here instead of stalling the run.
const LIMIT: Duration = Duration::from_secs(10);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// The sum computed the slow, obvious way, for comparison.
fn expected_sum(items: u64) -> u64 {
    (0..items).map(item_value).sum()
}

async fn within_limit<T>(work: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, work)
        .await
        .expect("parallel_sum never finished")
}

/// Checks that `ranges` split `0..items` into at most `chunks` contiguous,
/// non-empty ranges of near-equal length.
fn assert_even_split(ranges: &[std::ops::Range<u64>], items: u64, chunks: usize) {
    let mut next = 0;
    for range in ranges {
        assert_eq!(
            range.start, next,
            "{ranges:?} do not cover 0..{items} in order, without gaps or overlaps"
        );
        assert!(range.end > range.start, "{ranges:?} contain an empty chunk");
        next = range.end;
    }
    assert_eq!(
        next, items,
        "{ranges:?} do not reach the last item of 0..{items}"
    );
    assert!(
        ranges.len() <= chunks,
        "{} chunks were made where at most {chunks} were asked for",
        ranges.len()
    );
    let shortest = ranges.iter().map(|r| r.end - r.start).min().unwrap_or(0);
    let longest = ranges.iter().map(|r| r.end - r.start).max().unwrap_or(0);
    assert!(
        longest - shortest <= 1,
        "{ranges:?} are uneven: chunk lengths should differ by one item at most"
    );
}

/// An even split: four chunks of five.
#[test]
fn twenty_items_split_into_four_chunks_of_five() {
    assert_eq!(chunk_ranges(20, 4), [0..5, 5..10, 10..15, 15..20]);
}

/// An uneven split loses no item to rounding, and stays balanced: a remainder
/// of several items is shared out, not all left to one chunk.
#[test]
fn an_uneven_split_keeps_every_item() {
    for (items, chunks) in [(10, 3), (7, 2), (10, 4), (1001, 8), (1003, 8), (5, 1)] {
        let ranges = chunk_ranges(items, chunks);
        assert_eq!(
            ranges.len(),
            chunks,
            "{items} items in {chunks} chunks gave {ranges:?}"
        );
        assert_even_split(&ranges, items, chunks);
    }
}

/// More chunks than items: one item per chunk, and no empty chunks.
#[test]
fn more_chunks_than_items_gives_no_empty_chunks() {
    assert_eq!(chunk_ranges(3, 8), [0..1, 1..2, 2..3]);
    assert!(chunk_ranges(0, 4).is_empty(), "no items means no chunks");
}

/// Zero chunks is a caller's mistake: `chunk_ranges` panics (its `# Panics`
/// section), with or without items, rather than quietly pick a number.
#[test]
fn zero_chunks_panics() {
    for items in [10, 0] {
        let split = std::panic::catch_unwind(|| chunk_ranges(items, 0));
        let panic = match split {
            Ok(ranges) => {
                panic!("chunk_ranges({items}, 0) returned {ranges:?}: zero chunks must panic")
            }
            Err(panic) => panic,
        };
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        assert!(
            !message.starts_with("not yet implemented"),
            "chunk_ranges({items}, 0) panicked at a `todo!()`: it must panic because zero chunks cannot hold {items} items"
        );
    }
}

/// The largest job splits without overflow: `u64::MAX` items in 3 or 4
/// chunks, evenly, every item once.
#[test]
fn the_largest_job_splits_without_overflow() {
    for chunks in [3, 4, 7] {
        let ranges = chunk_ranges(u64::MAX, chunks);
        assert_eq!(
            ranges.len(),
            chunks,
            "u64::MAX items in {chunks} chunks gave {ranges:?}"
        );
        assert_even_split(&ranges, u64::MAX, chunks);
    }
}

/// A huge number of chunks still gives one chunk per item, and costs nothing
/// in proportion to the number asked for.
#[test]
fn a_huge_chunk_count_gives_one_chunk_per_item() {
    assert_eq!(chunk_ranges(3, usize::MAX), [0..1, 1..2, 2..3]);
}

/// The parallel sum equals the sequential one, for even and uneven splits.
#[tokio::test]
async fn the_parallel_sum_is_right() {
    for (items, chunks) in [(10_000, 4), (1001, 3), (7, 16), (50, 1)] {
        let job = Arc::new(Job::new(items, Duration::ZERO));
        let sum = within_limit(parallel_sum(Arc::clone(&job), chunks)).await;
        assert_eq!(
            sum,
            expected_sum(items),
            "wrong sum for {items} items in {chunks} chunks"
        );
    }
}

/// An empty job sums to zero.
#[tokio::test]
async fn an_empty_job_sums_to_zero() {
    let job = Arc::new(Job::new(0, Duration::ZERO));
    assert_eq!(within_limit(parallel_sum(job, 4)).await, 0);
}

/// A chunk that panics makes `parallel_sum` panic, with the chunk's own
/// message (its `# Panics` section), rather than return a sum without it.
#[tokio::test]
async fn a_failing_chunk_passes_its_panic_on() {
    let job = Arc::new(Job::with_a_failing_item(100, Duration::ZERO, 42));

    // In a task of its own, so that its panic can be looked at.
    let outcome = within_limit(tokio::spawn(parallel_sum(job, 4))).await;

    let panic = match outcome {
        Ok(sum) => panic!(
            "parallel_sum returned {sum} although the chunk holding item 42 panicked: \
             a failed chunk must not be dropped from the sum"
        ),
        Err(error) => error.into_panic(),
    };
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(
        message.contains("item 42 cannot be computed"),
        "parallel_sum panicked with {message:?}, which hides what went wrong: pass the \
         chunk's panic on (`resume_unwind(error.into_panic())`, or at least unwrap the \
         `JoinError`, whose message carries it)"
    );
}

/// The chunks actually run cover every item exactly once.
#[tokio::test]
async fn every_item_is_computed_exactly_once() {
    let job = Arc::new(Job::new(1000, Duration::ZERO));

    within_limit(parallel_sum(Arc::clone(&job), 6)).await;

    let mut ranges: Vec<_> = job.runs().into_iter().map(|run| run.range).collect();
    ranges.sort_by_key(|range| range.start);
    assert_eq!(ranges.len(), 6, "asked for 6 chunks, ran {ranges:?}");
    assert_even_split(&ranges, 1000, 6);
}

/// Every chunk asked for is run, even more than this machine has cores: the
/// caller chose the number, and `parallel_sum` does not cap it.
#[tokio::test]
async fn the_job_runs_as_many_chunks_as_asked() {
    let cores = thread::available_parallelism().map_or(1, usize::from);
    let chunks = 2 * cores + 1;
    let job = Arc::new(Job::new(1000, Duration::ZERO));

    within_limit(parallel_sum(Arc::clone(&job), chunks)).await;

    let mut ranges: Vec<_> = job.runs().into_iter().map(|run| run.range).collect();
    ranges.sort_by_key(|range| range.start);
    assert_eq!(
        ranges,
        chunk_ranges(1000, chunks),
        "asked for {chunks} chunks on a machine of {cores} cores, ran these: the number \
         of chunks is the caller's choice"
    );
}

/// Four chunks of 30 ms each overlap in time, on more than one OS thread:
/// the work really is parallel, with no lock that lets one thread at a time.
#[tokio::test]
async fn chunks_run_at_the_same_time_on_several_threads() {
    let job = Arc::new(Job::new(40, ms(3)));

    let sum = within_limit(parallel_sum(Arc::clone(&job), 4)).await;

    assert_eq!(sum, expected_sum(40));
    let runs = job.runs();
    assert_eq!(runs.len(), 4, "asked for 4 chunks, ran {runs:?}");
    let overlapping = runs.iter().enumerate().any(|(i, a)| {
        runs[i + 1..]
            .iter()
            .any(|b| a.started < b.finished && b.started < a.finished)
    });
    assert!(
        overlapping,
        "no two chunks ran at the same time: each one waited for the previous one to finish"
    );
    let threads: HashSet<_> = runs.iter().map(|run| run.thread).collect();
    assert!(
        threads.len() > 1,
        "all four chunks ran on the same OS thread: nothing ran in parallel"
    );
}

/// No chunk runs on the async worker (here, the test's own thread).
#[tokio::test]
async fn chunks_never_run_on_the_async_worker() {
    let worker = thread::current().id();
    let job = Arc::new(Job::new(40, ms(1)));

    within_limit(parallel_sum(Arc::clone(&job), 4)).await;

    for run in job.runs() {
        assert_ne!(
            run.thread, worker,
            "chunk {:?} ran on the async worker thread: CPU work there blocks every task",
            run.range
        );
    }
}

/// A heartbeat task on the same current-thread runtime, ticking every 5 ms,
/// ticks while the chunks of a job (two of 200 ms) are running: the job never
/// holds the worker, neither by computing on it nor by *blocking* it while it
/// waits for the chunks. A worker that is held cannot tick even once between
/// the first chunk's start and the last chunk's end, so this needs no timing
/// threshold: one tick in those 200 ms is enough.
#[tokio::test]
async fn a_heartbeat_keeps_ticking_while_the_job_runs() {
    let beats = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let heartbeat = tokio::spawn({
        let beats = Arc::clone(&beats);
        let stop = Arc::clone(&stop);
        async move {
            let mut interval = tokio::time::interval(ms(5));
            while !stop.load(Ordering::Relaxed) {
                interval.tick().await;
                beats.lock().unwrap().push(Instant::now());
            }
        }
    });
    // Let the heartbeat take its first beat before the job starts.
    tokio::task::yield_now().await;
    let job = Arc::new(Job::new(40, ms(10)));

    let sum = within_limit(parallel_sum(Arc::clone(&job), 2)).await;

    stop.store(true, Ordering::Relaxed);
    if let Err(error) = heartbeat.await {
        std::panic::resume_unwind(error.into_panic());
    }
    assert_eq!(sum, expected_sum(40));
    let runs = job.runs();
    assert_eq!(runs.len(), 2, "asked for 2 chunks, ran {runs:?}");
    let first_start = runs.iter().map(|run| run.started).min().expect("two runs");
    let last_end = runs.iter().map(|run| run.finished).max().expect("two runs");
    let beats_meanwhile = beats
        .lock()
        .unwrap()
        .iter()
        .filter(|&&beat| first_start < beat && beat < last_end)
        .count();
    assert!(
        beats_meanwhile > 0,
        "the heartbeat never ticked in the {:?} the chunks ran: the async worker was \
         held all along, computing the chunks or waiting for them without an `.await` \
         (a join, a `std::thread::scope`)",
        last_end - first_start
    );
}
