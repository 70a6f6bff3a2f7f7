//! Kata 06 tests: a runtime built by hand, and how it shuts down.
//!
//! These are plain `#[test]` functions, not `#[tokio::test]`: `run` builds
//! its own runtime, and a runtime cannot be started inside another one.
//! Shutdown involves real OS threads, so the timing tests use real time
//! (`std::time::Instant`) with generous margins, never exact equality.

use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use runtime_by_hand::run;
use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::sync::oneshot;

/// The shutdown bound for tests that do not care about it.
const BOUND: Duration = Duration::from_secs(5);

/// A log shared between a test and the tasks it starts.
#[derive(Clone, Default)]
struct Journal(Arc<Mutex<Vec<&'static str>>>);

impl Journal {
    fn record(&self, entry: &'static str) {
        self.0.lock().unwrap().push(entry);
    }

    fn entries(&self) -> Vec<&'static str> {
        self.0.lock().unwrap().clone()
    }
}

/// Records "task dropped" when it is dropped: the task's cleanup.
struct DropGuard(Journal);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.record("task dropped");
    }
}

/// `run` returns what the future returns.
#[test]
fn run_returns_the_output_of_the_future() {
    assert_eq!(run(async { 6 * 7 }, BOUND), 42);
}

/// The future runs on a multi-thread runtime, as under `#[tokio::main]`.
#[test]
fn run_builds_a_multi_thread_runtime() {
    let flavor = run(async { Handle::current().runtime_flavor() }, BOUND);

    assert_eq!(
        flavor,
        RuntimeFlavor::MultiThread,
        "#[tokio::main] builds a multi-thread runtime: use Builder::new_multi_thread()"
    );
}

/// Timers and sockets work inside `run`: the runtime's drivers are enabled.
#[test]
fn timers_and_io_work_inside_run() {
    let bound = run(
        async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            tokio::net::TcpListener::bind("127.0.0.1:0").await.is_ok()
        },
        BOUND,
    );

    assert!(bound, "a socket could not be bound inside run");
}

/// Tasks spawned by the future run, and their results come back.
#[test]
fn tasks_spawned_inside_run_run() {
    let sum = run(
        async {
            let handles: Vec<_> = (1..=10)
                .map(|i| tokio::spawn(async move { i * i }))
                .collect();
            let mut sum = 0;
            for handle in handles {
                sum += handle.await.expect("the task does not panic");
            }
            sum
        },
        BOUND,
    );

    assert_eq!(sum, 385);
}

/// A background task still running when the future returns is dropped at
/// shutdown: its cleanup runs before `run` returns, and `run` does not wait
/// for the task to finish its hour-long sleep.
#[test]
fn background_tasks_left_running_are_dropped_at_shutdown() {
    let journal = Journal::default();
    let start = Instant::now();

    let task_journal = journal.clone();
    run(
        async move {
            let (started, has_started) = oneshot::channel();
            tokio::spawn(async move {
                let _guard = DropGuard(task_journal.clone());
                task_journal.record("task started");
                let _ = started.send(());
                tokio::time::sleep(Duration::from_secs(3600)).await;
                task_journal.record("task finished");
            });
            has_started.await.expect("the background task started");
        },
        BOUND,
    );

    assert_eq!(
        journal.entries(),
        ["task started", "task dropped"],
        "the background task was not dropped by the time run returned: was the runtime shut down at all?"
    );
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "run waited {:?}: a sleeping task must be dropped at once, not waited for",
        start.elapsed()
    );
}

/// A blocking job that finishes within the bound is waited for: the bound is
/// a limit, not a reason to abandon work.
#[test]
fn shutdown_lets_a_short_blocking_job_finish() {
    let journal = Journal::default();

    let job_journal = journal.clone();
    run(
        async move {
            let (started, has_started) = oneshot::channel();
            tokio::task::spawn_blocking(move || {
                let _ = started.send(());
                // 100 ms of blocking work: a wait on a channel nobody sends to.
                let (_keep, never) = std_mpsc::channel::<()>();
                let _ = never.recv_timeout(Duration::from_millis(100));
                job_journal.record("blocking job finished");
            });
            has_started.await.expect("the blocking job started");
        },
        BOUND,
    );

    assert_eq!(
        journal.entries(),
        ["blocking job finished"],
        "run returned before a 100 ms blocking job finished, with a {BOUND:?} bound: shutdown must wait (up to the bound)"
    );
}

/// A stuck blocking job cannot hold shutdown for longer than its bound.
#[test]
fn shutdown_never_waits_longer_than_its_bound() {
    let bound = Duration::from_millis(200);
    // The stuck job waits for this release, or 5 s at most, so that a wrong
    // answer makes this test slow and failing rather than hung for ever.
    let (release, released) = std_mpsc::channel::<()>();
    let start = Instant::now();

    run(
        async move {
            let (started, has_started) = oneshot::channel();
            tokio::task::spawn_blocking(move || {
                let _ = started.send(());
                let _ = released.recv_timeout(Duration::from_secs(5));
            });
            has_started.await.expect("the blocking job started");
        },
        bound,
    );
    let took = start.elapsed();
    let _ = release.send(());

    assert!(
        took < Duration::from_millis(1500),
        "run took {took:?} with a stuck blocking job and a {bound:?} bound: shutdown must give up after the bound"
    );
}

/// Each call builds a fresh runtime: `run` can be called again after it
/// returns, like `asyncio.run`.
#[test]
fn run_can_be_called_again_after_it_returns() {
    let first = run(
        async { tokio::task::spawn(async { 1 }).await.unwrap() },
        BOUND,
    );
    let second = run(
        async { tokio::task::spawn(async { 2 }).await.unwrap() },
        BOUND,
    );

    assert_eq!((first, second), (1, 2));
}
