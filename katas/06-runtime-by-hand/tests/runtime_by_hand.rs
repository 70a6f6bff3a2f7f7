//! Kata 06 tests: a runtime built by hand, and how it shuts down.
//!
//! These are plain `#[test]` functions, not `#[tokio::test]`: `run` builds
//! its own runtime, and a runtime cannot be started inside another one.
//! Shutdown involves real OS threads, so the timing tests use real time
//! (`std::time::Instant`), measured from the moment the future ends, and
//! prove what they can by the order of events: a "stuck" blocking job is
//! released only after `run` has returned, so a `run` that waited for it
//! could not have returned at all.

use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
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

/// Records "task dropped" when it is dropped: the task's cleanup. The
/// cleanup takes 200 ms, so that a `run` that does not wait for it returns
/// long before it is done.
struct DropGuard(Journal);

impl Drop for DropGuard {
    fn drop(&mut self) {
        // 200 ms of cleanup: a wait on a channel nobody sends to.
        let (_keep, never) = std_mpsc::channel::<()>();
        let _ = never.recv_timeout(Duration::from_millis(200));
        self.0.record("task dropped");
    }
}

/// Calls `run` with a future that leaves a blocking job stuck (as a read
/// from stdin would), and returns how long `run` took to shut down: from the
/// moment the future ended to the moment `run` returned.
///
/// The job is released as soon as `run` returns, or, for a `run` that waits
/// for it without a bound, by a watchdog `give_up` after the future ended:
/// that `run` then returns only after `give_up`, and the test fails instead
/// of hanging.
fn shutdown_time_with_a_stuck_job(bound: Duration, give_up: Duration) -> Duration {
    let (release, released) = std_mpsc::channel::<()>();
    let (ended, future_ended) = std_mpsc::channel::<Instant>();
    let (returned, run_returned) = std_mpsc::channel::<()>();
    let watchdog = thread::spawn(move || {
        let ended_at = future_ended.recv().ok();
        if ended_at.is_some() {
            let _ = run_returned.recv_timeout(give_up);
        }
        // Dropping the sender releases the job.
        drop(release);
        ended_at
    });

    run(
        async move {
            let (started, has_started) = oneshot::channel();
            tokio::task::spawn_blocking(move || {
                let _ = started.send(());
                // Stuck until released: nothing is ever sent, so `recv`
                // returns only when the sender is dropped.
                let _ = released.recv();
            });
            has_started.await.expect("the blocking job started");
            ended.send(Instant::now()).expect("the watchdog is waiting");
        },
        bound,
    );
    let returned_at = Instant::now();
    let _ = returned.send(());
    let ended_at = watchdog
        .join()
        .expect("the watchdog does not panic")
        .expect("the future ran to its end");
    returned_at - ended_at
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
/// shutdown: its cleanup (200 ms of it) has run by the time `run` returns,
/// and `run` does not wait for the task to finish its hour-long sleep.
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
        "the background task was not dropped by the time run returned: was the runtime \
         shut down at all, and did run wait (up to the bound) for the shutdown to finish?"
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

/// A stuck blocking job is given the whole bound (400 ms here) before `run`
/// gives up on it: the bound is the caller's, not a guess of `run`'s.
#[test]
fn a_stuck_blocking_job_is_given_the_whole_bound() {
    let bound = Duration::from_millis(400);

    let took = shutdown_time_with_a_stuck_job(bound, bound + Duration::from_millis(400));

    assert!(
        took >= bound,
        "run shut down in {took:?} with a stuck blocking job and a {bound:?} bound: \
         it must wait for blocking jobs up to the bound it was given, not less"
    );
}

/// A stuck blocking job cannot hold shutdown for longer than its bound: with
/// a bound of 50 ms, `run` returns while the job is still stuck, well within
/// 450 ms. (The job is released only after `run` returns, or after 450 ms.)
#[test]
fn shutdown_never_waits_longer_than_its_bound() {
    let bound = Duration::from_millis(50);
    let give_up = Duration::from_millis(450);

    let took = shutdown_time_with_a_stuck_job(bound, give_up);

    assert!(
        took < give_up,
        "run took {took:?} to shut down with a stuck blocking job and a {bound:?} bound: \
         it waited for the job (until it was released) instead of giving up after the \
         bound it was given"
    );
}

/// `run` inside a runtime panics, as documented (and as `asyncio.run`
/// refuses to start inside a running loop).
#[test]
fn run_panics_inside_a_runtime() {
    let outer = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime builds");

    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        outer.block_on(async { run(async { 1 }, BOUND) })
    }));

    assert!(
        outcome.is_err(),
        "run returned inside another runtime: it must panic there, as block_on does"
    );
}

/// The runtime has as many workers as the one `#[tokio::main]` builds: one
/// per CPU core, the builder's default.
#[test]
fn run_keeps_the_default_number_of_workers() {
    let default_workers = tokio::runtime::Builder::new_multi_thread()
        .build()
        .expect("a runtime builds")
        .metrics()
        .num_workers();

    let workers = run(async { Handle::current().metrics().num_workers() }, BOUND);

    assert_eq!(
        workers, default_workers,
        "#[tokio::main] keeps the builder's default number of workers (one per core): \
         do not set worker_threads"
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
