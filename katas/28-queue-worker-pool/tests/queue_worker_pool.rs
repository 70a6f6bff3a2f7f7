//! Kata 28 tests: a bounded queue, N workers, `join` and `shutdown`.
//!
//! The tests run on tokio's paused clock: items "take" 100 ms each, so when
//! each item was processed, and when `put`, `join` and `shutdown` returned,
//! are exact. The runtime's own count of live tasks (`num_alive_tasks`)
//! shows that no worker outlives the pool. One test runs on four worker
//! threads. One test's item panics on purpose: its message in the output is
//! the default panic hook, not a failing test.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use queue_worker_pool::{Item, PoolReport, Work, WorkerPool};
use tokio::runtime::Handle;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Items 0, 1, 2… costing these many milliseconds each.
fn items(costs: &[u64]) -> Vec<Item> {
    costs
        .iter()
        .zip(0..)
        .map(|(&cost, id)| Item::new(id, ms(cost)))
        .collect()
}

/// A pool whose handler processes items with `work`.
fn pool(work: &Arc<Work>, workers: usize, capacity: usize) -> WorkerPool<Item> {
    let work = work.clone();
    WorkerPool::new(workers, capacity, move |item| {
        let work = work.clone();
        async move { work.process(item).await }
    })
}

async fn within_limit<T>(what: &str, operation: impl Future<Output = T>) -> T {
    timeout(LIMIT, operation)
        .await
        .unwrap_or_else(|_| panic!("{what} never finished"))
}

async fn put_all(pool: &WorkerPool<Item>, items: Vec<Item>) {
    for item in items {
        within_limit("put", pool.put(item)).await;
    }
}

/// How many tasks the test's runtime still has alive (the test's own body is
/// not a task).
fn alive_tasks() -> usize {
    Handle::current().metrics().num_alive_tasks()
}

/// Every item put is processed exactly once, whichever worker takes it.
#[tokio::test(start_paused = true)]
async fn every_item_is_processed_exactly_once() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 3, 5);

    put_all(&pool, items(&[100; 20])).await;
    within_limit("join", pool.join()).await;

    let mut processed = work.processed();
    processed.sort_unstable();
    assert_eq!(processed, (0..20).collect::<Vec<u32>>());
    let report = within_limit("shutdown", pool.shutdown()).await;
    assert_eq!(
        report,
        PoolReport {
            processed: 20,
            panicked: 0
        }
    );
}

/// Three workers process three items at a time: six items of 100 ms take
/// 200 ms, with three in progress at once.
#[tokio::test(start_paused = true)]
async fn the_workers_process_items_at_the_same_time() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 3, 10);
    let start = Instant::now();

    put_all(&pool, items(&[100; 6])).await;
    within_limit("join", pool.join()).await;

    assert_eq!(
        start.elapsed(),
        ms(200),
        "six items of 100 ms on three workers take 200 ms; is a worker holding the queue \
         while it processes its item?"
    );
    assert_eq!(work.most_busy(), 3, "never more than three workers");
}

/// A free worker takes the next item at once: one slow item does not hold
/// up the others (as it would if items were dealt out to workers in turn).
#[tokio::test(start_paused = true)]
async fn a_free_worker_takes_the_next_item() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 2, 10);
    let start = Instant::now();

    put_all(&pool, items(&[300, 100, 100, 100])).await;
    within_limit("join", pool.join()).await;

    assert_eq!(start.elapsed(), ms(300));
    let mut processed_at = work.processed_at();
    processed_at.sort_by_key(|&(id, at)| (at, id));
    assert_eq!(
        processed_at,
        [(1, ms(100)), (2, ms(200)), (0, ms(300)), (3, ms(300))],
        "items 1, 2 and 3 go one after another to the worker that is free"
    );
}

/// Backpressure: with one worker and room for two items, the first three
/// puts return at once (one item taken, two queued) and each further put
/// waits until the worker takes an item off the queue.
#[tokio::test(start_paused = true)]
async fn put_waits_while_the_queue_is_full() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 1, 2);
    let start = Instant::now();

    let mut returned = Vec::new();
    for item in items(&[100; 5]) {
        within_limit("put", pool.put(item)).await;
        returned.push(start.elapsed());
    }

    assert_eq!(
        returned,
        [ms(0), ms(0), ms(0), ms(100), ms(200)],
        "put must wait while the queue holds `capacity` items, and only then"
    );
    within_limit("join", pool.join()).await;
    assert_eq!(start.elapsed(), ms(500));
}

/// `join` waits until the items are *processed*, not until the queue is
/// empty: here the queue empties at 100 ms, but the last items are still
/// being processed until 200 ms.
#[tokio::test(start_paused = true)]
async fn join_waits_for_processing_not_for_an_empty_queue() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 2, 10);
    let start = Instant::now();

    put_all(&pool, items(&[100; 4])).await;
    within_limit("join", pool.join()).await;

    assert_eq!(
        start.elapsed(),
        ms(200),
        "join returned before the items taken off the queue were processed"
    );
    assert_eq!(work.processed().len(), 4);
}

/// With nothing unfinished, `join` returns at once, however often it is
/// called; after a round of work, it returns at once again.
#[tokio::test(start_paused = true)]
async fn join_with_nothing_unfinished_returns_at_once() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 2, 2);
    let start = Instant::now();

    within_limit("join", pool.join()).await;
    within_limit("join", pool.join()).await;
    assert_eq!(start.elapsed(), Duration::ZERO);

    put_all(&pool, items(&[100])).await;
    within_limit("join", pool.join()).await;
    let after_work = Instant::now();
    within_limit("join", pool.join()).await;
    assert_eq!(after_work.elapsed(), Duration::ZERO);
}

/// Items put while `join` is waiting are waited for too: `join` returns when
/// nothing at all is unfinished.
#[tokio::test(start_paused = true)]
async fn join_also_waits_for_items_put_while_it_waits() {
    let work = Arc::new(Work::new());
    let pool = Arc::new(pool(&work, 2, 10));
    let start = Instant::now();

    put_all(&pool, items(&[100])).await;
    let late = tokio::spawn({
        let pool = pool.clone();
        async move {
            sleep(ms(50)).await;
            pool.put(Item::new(7, ms(100))).await;
        }
    });
    within_limit("join", pool.join()).await;

    assert_eq!(
        start.elapsed(),
        ms(150),
        "the item put at 50 ms was unfinished until 150 ms"
    );
    within_limit("the late producer", late).await.unwrap();
}

/// A `put` cancelled while it waits for room puts nothing: the item is never
/// processed, and `join` does not wait for it.
#[tokio::test(start_paused = true)]
async fn a_cancelled_put_puts_nothing() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 1, 1);
    let start = Instant::now();

    put_all(&pool, items(&[100, 100])).await; // one taken, one queued: full
    let cut = timeout(ms(10), pool.put(Item::new(9, ms(100)))).await;
    assert!(cut.is_err(), "the queue was full for 100 ms");
    within_limit("join", pool.join()).await;

    assert_eq!(
        start.elapsed(),
        ms(200),
        "join waited for an item that was never put"
    );
    assert_eq!(work.processed(), [0, 1]);
}

/// `shutdown` without `join`: the items still queued are processed, then
/// every worker ends, and no task of the pool is left.
#[tokio::test(start_paused = true)]
async fn shutdown_processes_what_is_queued_then_ends_every_worker() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 2, 10);
    assert_eq!(alive_tasks(), 2, "two workers, two tasks");
    let start = Instant::now();

    put_all(&pool, items(&[100; 5])).await;
    let report = within_limit(
        "shutdown (is a worker still waiting on an open queue?)",
        pool.shutdown(),
    )
    .await;

    assert_eq!(
        start.elapsed(),
        ms(300),
        "five items of 100 ms on two workers, then the end"
    );
    assert_eq!(report.processed, 5, "shutdown dropped queued items");
    assert_eq!(work.processed().len(), 5);
    assert_eq!(
        alive_tasks(),
        0,
        "a worker is still alive after shutdown returned"
    );
}

/// An idle pool shuts down at once, and leaves nothing behind.
#[tokio::test(start_paused = true)]
async fn an_idle_pool_shuts_down_at_once() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 4, 4);
    let start = Instant::now();

    let report = within_limit("shutdown", pool.shutdown()).await;

    assert_eq!(report, PoolReport::default());
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(alive_tasks(), 0);
}

/// A pool dropped without `shutdown` leaves no worker behind either: they
/// are aborted, even in the middle of an item.
#[tokio::test(start_paused = true)]
async fn a_dropped_pool_leaves_no_worker_behind() {
    let work = Arc::new(Work::new());
    {
        let pool = pool(&work, 3, 10);
        put_all(&pool, items(&[100; 6])).await;
        sleep(ms(50)).await; // three items in progress
    } // the pool is dropped here, without a shutdown

    tokio::task::yield_now().await; // let the runtime reap the aborted tasks

    assert_eq!(alive_tasks(), 0, "workers outlived the pool");
    assert_eq!(work.dropped(), 3, "the items in progress were cut off");
    sleep(Duration::from_secs(10)).await;
    assert!(work.processed().is_empty(), "work went on after the drop");
}

/// A handler that panics costs one item, not the worker: `join` still
/// returns, the other items are processed by every worker, and the report
/// counts the panic.
#[tokio::test(start_paused = true)]
async fn a_panicking_item_does_not_stop_the_pool() {
    let work = Arc::new(Work::new());
    let pool = pool(&work, 2, 10);
    let start = Instant::now();

    within_limit("put", pool.put(Item::poisoned(0, ms(100)))).await;
    put_all(&pool, items(&[100; 5]).into_iter().skip(1).collect()).await;
    within_limit("join (does a panicking item count as done?)", pool.join()).await;

    assert_eq!(
        start.elapsed(),
        ms(300),
        "six items on two workers: the worker whose item panicked must carry on"
    );
    let report = within_limit("shutdown", pool.shutdown()).await;
    assert_eq!(
        report,
        PoolReport {
            processed: 4,
            panicked: 1
        }
    );
}

/// Zero workers or a zero capacity could never work: refused at once, with
/// a message that says why.
#[tokio::test(start_paused = true)]
async fn zero_workers_or_zero_capacity_are_refused() {
    let work = Arc::new(Work::new());
    for (workers, capacity, expected) in [(0, 4, "0 workers"), (2, 0, "capacity 0")] {
        let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool(&work, workers, capacity)
        }))
        .map(|_| ())
        .expect_err("must panic");
        let message = match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
            (Some(message), _) => message.to_string(),
            (_, Some(message)) => message.clone(),
            _ => String::new(),
        };
        assert!(
            message.contains(expected),
            "the panic should mention {expected:?}, not {message:?}"
        );
    }
}

/// On four worker threads: four producers put 250 items each into a pool of
/// eight workers; `join` then sees all 1000 processed, each once, and
/// `shutdown` leaves no task.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_producers_and_workers_on_many_threads() {
    // Real time on this runtime: a bound in seconds, far above the few
    // milliseconds this takes, so that a hang fails instead of stalling.
    timeout(Duration::from_secs(2), producers_and_workers())
        .await
        .expect("the pool hung on four threads");
}

async fn producers_and_workers() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let calls = Arc::new(AtomicUsize::new(0));
    let pool = Arc::new(WorkerPool::new(8, 16, {
        let (seen, calls) = (seen.clone(), calls.clone());
        move |id: u32| {
            let (seen, calls) = (seen.clone(), calls.clone());
            async move {
                tokio::task::yield_now().await;
                calls.fetch_add(1, Ordering::Relaxed);
                seen.lock().unwrap().push(id);
            }
        }
    }));

    let producers: Vec<_> = (0..4)
        .map(|p| {
            let pool = pool.clone();
            tokio::spawn(async move {
                for i in 0..250 {
                    pool.put(p * 1000 + i).await;
                }
            })
        })
        .collect();
    for producer in producers {
        within_limit("a producer", producer).await.unwrap();
    }
    within_limit("join", pool.join()).await;

    assert_eq!(
        calls.load(Ordering::Relaxed),
        1000,
        "join returned before every item was processed"
    );
    let unique: BTreeSet<u32> = seen.lock().unwrap().iter().copied().collect();
    assert_eq!(unique.len(), 1000, "an item was processed twice");
    let pool = Arc::try_unwrap(pool).expect("the producers are done");
    let report = within_limit("shutdown", pool.shutdown()).await;
    assert_eq!(report.processed, 1000);
    // On other threads a task that has ended may take a moment to be released.
    let released = timeout(Duration::from_secs(1), async {
        while alive_tasks() > 0 {
            sleep(ms(1)).await;
        }
    });
    assert!(released.await.is_ok(), "a worker outlived shutdown");
}
