//! Kata 22 tests: a registry that lists its background tasks exactly and
//! shuts them down with a bound, leaving nothing running.
//!
//! The tests run on tokio's paused clock: the clock jumps to the next timer
//! whenever every task waits, so "shutdown took 5 s" is an exact claim. A drop
//! guard inside each task records when its future was dropped, which is how a
//! test tells "aborted" from "still running somewhere, unreachable". The
//! runtime's own count of live tasks (`num_alive_tasks`) checks that nothing
//! at all is left. One test's task panics on purpose: its message in the
//! output is the default panic hook, not a failing test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use forgotten_tasks::{Registry, ShutdownReport};
use tokio::runtime::Handle;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

/// What happened to each test task, with the virtual time since the test began.
#[derive(Debug, Clone)]
struct Log {
    start: Instant,
    events: Arc<Mutex<Vec<(String, Duration)>>>,
}

impl Log {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            events: Arc::default(),
        }
    }

    fn record(&self, event: String) {
        let at = self.start.elapsed();
        self.events.lock().unwrap().push((event, at));
    }

    fn events(&self) -> Vec<(String, Duration)> {
        self.events.lock().unwrap().clone()
    }

    /// When `event` happened, if it did.
    fn when(&self, event: &str) -> Option<Duration> {
        self.events()
            .into_iter()
            .find(|(seen, _)| seen == event)
            .map(|(_, at)| at)
    }
}

/// Records "`name` dropped" when the task's future is dropped: at its end, or
/// when it is aborted.
struct DropGuard {
    name: String,
    log: Log,
}

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.log.record(format!("{} dropped", self.name));
    }
}

/// A task that works for `work`, logging "started", "completed" and "dropped".
fn job(log: &Log, name: &str, work: Duration) -> impl Future<Output = ()> + Send + 'static {
    let log = log.clone();
    let name = name.to_owned();
    async move {
        let _guard = DropGuard {
            name: name.clone(),
            log: log.clone(),
        };
        log.record(format!("{name} started"));
        sleep(work).await;
        log.record(format!("{name} completed"));
    }
}

async fn shutdown_within_limit(registry: Registry, grace: Duration) -> ShutdownReport {
    timeout(LIMIT, registry.shutdown(grace))
        .await
        .expect("shutdown never returned: is the wait bounded by the grace period?")
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|name| (*name).to_owned()).collect()
}

/// Tasks still alive in the runtime (the test's own body is not a task).
fn alive_tasks() -> usize {
    Handle::current().metrics().num_alive_tasks()
}

/// Fire and forget: a spawned task runs at once, without anybody awaiting it.
#[tokio::test(start_paused = true)]
async fn a_spawned_task_runs_without_being_awaited() {
    let log = Log::new();
    let registry = Registry::new();

    registry.spawn("mailer", job(&log, "mailer", secs(1)));
    sleep(secs(2)).await;

    assert_eq!(
        log.when("mailer started"),
        Some(Duration::ZERO),
        "the task must start at once, like asyncio.create_task"
    );
    assert_eq!(log.when("mailer completed"), Some(secs(1)));
    shutdown_within_limit(registry, Duration::ZERO).await;
}

/// The list holds exactly the tasks still running, one entry per task, sorted.
#[tokio::test(start_paused = true)]
async fn running_lists_exactly_the_tasks_still_running() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("cache-warmer", job(&log, "cache-warmer", secs(1)));
    registry.spawn("reporter", job(&log, "reporter", secs(3)));
    registry.spawn("poller", job(&log, "poller", secs(10)));
    registry.spawn("poller", job(&log, "poller", secs(10)));

    assert_eq!(
        registry.running(),
        names(&["cache-warmer", "poller", "poller", "reporter"]),
        "every task spawned must be listed, sorted, once per task (names may repeat)"
    );
    sleep(ms(1500)).await;
    assert_eq!(
        registry.running(),
        names(&["poller", "poller", "reporter"]),
        "a task that has finished is still listed"
    );
    sleep(secs(2)).await;
    assert_eq!(registry.running(), names(&["poller", "poller"]));
    sleep(secs(7)).await;
    assert_eq!(
        registry.running(),
        Vec::<String>::new(),
        "every task has finished"
    );
    shutdown_within_limit(registry, Duration::ZERO).await;
}

/// A task that panics has ended: it is no longer listed as running.
#[tokio::test(start_paused = true)]
async fn a_task_that_panicked_is_no_longer_running() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("steady", job(&log, "steady", secs(10)));
    registry.spawn("crasher", async {
        sleep(secs(1)).await;
        panic!("crasher failed on purpose (this message is expected)");
    });

    sleep(secs(2)).await;

    assert_eq!(
        registry.running(),
        names(&["steady"]),
        "a task that panicked must leave the list too (does your bookkeeping run when a task unwinds?)"
    );
    shutdown_within_limit(registry, Duration::ZERO).await;
}

/// With every task done in time, shutdown returns when the last one ends,
/// not when the grace period runs out.
#[tokio::test(start_paused = true)]
async fn shutdown_returns_as_soon_as_every_task_has_finished() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("flush-logs", job(&log, "flush-logs", secs(1)));
    registry.spawn("upload", job(&log, "upload", secs(2)));
    let start = Instant::now();

    let report = shutdown_within_limit(registry, secs(10)).await;

    assert_eq!(
        report,
        ShutdownReport {
            finished: names(&["flush-logs", "upload"]),
            aborted: vec![],
        },
        "both tasks end within the grace period: none should be aborted"
    );
    assert_eq!(
        start.elapsed(),
        secs(2),
        "shutdown must return when the last task ends (2 s), neither earlier nor at the end of the grace period"
    );
    assert_eq!(log.when("upload completed"), Some(secs(2)));
}

/// Shutdown waits out the grace period, then aborts what is still running.
#[tokio::test(start_paused = true)]
async fn shutdown_aborts_the_tasks_still_running_when_the_grace_period_ends() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("quick", job(&log, "quick", secs(1)));
    registry.spawn("stuck", job(&log, "stuck", secs(3600)));
    registry.spawn("slow", job(&log, "slow", secs(60)));
    let start = Instant::now();

    let report = shutdown_within_limit(registry, secs(5)).await;

    assert_eq!(
        start.elapsed(),
        secs(5),
        "shutdown must wait exactly the grace period (5 s) for the slow tasks, then stop"
    );
    assert_eq!(
        report,
        ShutdownReport {
            finished: names(&["quick"]),
            aborted: names(&["slow", "stuck"]),
        },
        "the report must name the task that finished and the tasks that had to be aborted"
    );
}

/// Aborted tasks have really stopped when shutdown returns: their futures were
/// dropped, they never complete later, and the runtime has no task left.
#[tokio::test(start_paused = true)]
async fn nothing_is_left_running_after_shutdown() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("quick", job(&log, "quick", secs(1)));
    registry.spawn("stuck", job(&log, "stuck", secs(3600)));

    let report = shutdown_within_limit(registry, secs(5)).await;

    assert_eq!(report.aborted, names(&["stuck"]));
    assert_eq!(
        log.when("stuck dropped"),
        Some(secs(5)),
        "when shutdown returns, the aborted task's future must already be dropped: \
         abort only asks, so wait for the aborted tasks to end"
    );
    assert_eq!(
        alive_tasks(),
        0,
        "a task is still alive in the runtime after shutdown"
    );
    sleep(secs(7200)).await;
    assert_eq!(
        log.when("stuck completed"),
        None,
        "the aborted task kept running and completed after shutdown"
    );
}

/// The report is about the tasks running when shutdown began: those that
/// ended before are in neither list.
#[tokio::test(start_paused = true)]
async fn tasks_that_ended_before_shutdown_are_not_in_the_report() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("early", job(&log, "early", secs(1)));
    registry.spawn("late", job(&log, "late", secs(4)));
    sleep(secs(2)).await;

    let report = shutdown_within_limit(registry, secs(10)).await;

    assert_eq!(
        report,
        ShutdownReport {
            finished: names(&["late"]),
            aborted: vec![],
        },
        "\"early\" had already ended when shutdown was called"
    );
}

/// A zero grace period aborts everything at once, without waiting at all.
#[tokio::test(start_paused = true)]
async fn a_zero_grace_period_aborts_everything_at_once() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("a", job(&log, "a", secs(1)));
    registry.spawn("b", job(&log, "b", secs(2)));
    sleep(ms(500)).await;
    let start = Instant::now();

    let report = shutdown_within_limit(registry, Duration::ZERO).await;

    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "a zero grace means no wait"
    );
    assert_eq!(report.aborted, names(&["a", "b"]));
    assert_eq!(report.finished, Vec::<String>::new());
    for name in ["a", "b"] {
        assert_eq!(
            log.when(&format!("{name} dropped")),
            Some(ms(500)),
            "task {name:?} must be dropped by the time shutdown returns"
        );
    }
    assert_eq!(alive_tasks(), 0, "a task is still alive after shutdown");
}

/// A task that panics while shutdown waits for it has ended: it is reported
/// as finished, and its panic does not escape into the shutdown.
#[tokio::test(start_paused = true)]
async fn a_task_that_panics_during_the_grace_period_counts_as_finished() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("steady", job(&log, "steady", secs(2)));
    registry.spawn("crasher", async {
        sleep(secs(1)).await;
        panic!("crasher failed on purpose (this message is expected)");
    });

    let report = shutdown_within_limit(registry, secs(5)).await;

    assert_eq!(
        report,
        ShutdownReport {
            finished: names(&["crasher", "steady"]),
            aborted: vec![],
        },
        "a task that panicked ended within the grace period: it belongs in `finished`"
    );
}

/// A grace of `Duration::MAX` means "as long as it takes": shutdown waits
/// for every task (an hour here), aborts nothing, and does not panic on a
/// deadline beyond the clock.
#[tokio::test(start_paused = true)]
async fn a_grace_of_duration_max_waits_for_every_task() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("backup", job(&log, "backup", secs(3600)));
    registry.spawn("index", job(&log, "index", secs(60)));
    let start = Instant::now();

    let report = timeout(secs(7200), registry.shutdown(Duration::MAX))
        .await
        .expect("shutdown never returned, though every task ends within the hour");

    assert_eq!(
        report,
        ShutdownReport {
            finished: names(&["backup", "index"]),
            aborted: vec![],
        }
    );
    assert_eq!(
        start.elapsed(),
        secs(3600),
        "shutdown must return when the last task ends"
    );
}

/// Dropping a shutdown part-way (a timeout around it, say) still stops every
/// task, whichever `.await` it was at: each task not yet ended is dropped at
/// that instant, none completes later, and no task is left in the runtime.
#[tokio::test(start_paused = true)]
async fn dropping_a_shutdown_part_way_stops_every_task() {
    // "quick" ends at 1 s, "slow" at 3 s, "stuck" never; the grace is 2 s.
    // 2 s is the deadline itself: the shutdown has just aborted "slow" and
    // "stuck" and is waiting for the aborts to land when it is dropped.
    for drop_at in [0, 500, 1000, 1500, 2000] {
        let log = Log::new();
        let registry = Registry::new();
        registry.spawn("quick", job(&log, "quick", secs(1)));
        registry.spawn("slow", job(&log, "slow", secs(3)));
        registry.spawn("stuck", job(&log, "stuck", secs(3600)));

        let dropped = timeout(ms(drop_at), registry.shutdown(secs(2))).await;
        assert!(
            dropped.is_err(),
            "shutdown must still be waiting at {drop_at} ms"
        );
        // Let the runtime run what the drop set off, without moving the clock.
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }

        for name in ["quick", "slow", "stuck"] {
            // Dropped at 0 ms, a task may not have run yet: nothing to drop.
            let started = log.when(&format!("{name} started")).is_some();
            let ended = log.when(&format!("{name} completed")).is_some();
            assert!(
                !started || ended || log.when(&format!("{name} dropped")) == Some(ms(drop_at)),
                "shutdown was dropped at {drop_at} ms: task {name:?} must be dropped \
                 at that instant, not left running (events: {:?})",
                log.events()
            );
        }
        assert_eq!(
            alive_tasks(),
            0,
            "shutdown was dropped at {drop_at} ms, and a task is still alive"
        );
        let before = log.events().len();
        sleep(secs(7200)).await;
        assert_eq!(
            log.events().len(),
            before,
            "shutdown was dropped at {drop_at} ms, and a task went on afterwards: {:?}",
            log.events()
        );
    }
}

/// Shutdown sleeps while it waits: it is woken when a task ends or the grace
/// runs out, not on a timer of its own.
#[tokio::test(start_paused = true)]
async fn shutdown_sleeps_while_it_waits() {
    let log = Log::new();
    let registry = Registry::new();
    registry.spawn("a", job(&log, "a", secs(1)));
    registry.spawn("b", job(&log, "b", secs(2)));
    registry.spawn("stuck", job(&log, "stuck", secs(3600)));
    let mut polls = 0;
    let mut shutdown = std::pin::pin!(registry.shutdown(secs(3)));
    let counted = std::future::poll_fn(|cx| {
        polls += 1;
        shutdown.as_mut().poll(cx)
    });

    let report = timeout(LIMIT, counted)
        .await
        .expect("shutdown never returned");

    assert_eq!(report.aborted, names(&["stuck"]));
    assert!(
        polls <= 12,
        "shutdown was polled {polls} times for two task ends, one deadline and \
         one abort: it checks on a timer or in a loop instead of waiting"
    );
}

/// The registry is meant to be shared: `Send + Sync`, so that tasks on every
/// worker thread can use it through an `Arc`.
#[test]
fn the_registry_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Registry>();
}

/// Spawns and listings from several threads at once lose no task: while a
/// list is listed over and over from two threads, eight more (more threads
/// than cores, so that they are preempted anywhere) spawn tasks, half of
/// which end at once. Every task spawned is listed until it ends, none is
/// listed after, and every one left is aborted at shutdown. (A race needs
/// luck to show; four rounds leave a racy registry next to none.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_spawns_and_listings_lose_no_task() {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    const ROUNDS: usize = 4;
    const ALREADY: usize = 100;
    const SPAWNERS: usize = 8;
    const EACH: usize = 40;
    const LISTERS: usize = 2;
    for round in 1..=ROUNDS {
        let registry = Arc::new(Registry::new());
        for _ in 0..ALREADY {
            registry.spawn("old", std::future::pending());
        }
        // The listers start first and go on until the spawners are done, so
        // that every spawn lands while lists are being taken. They keep what
        // they list, so that each goes straight back for the lock.
        let lists = Arc::new(AtomicUsize::new(0));
        let spawning = Arc::new(AtomicUsize::new(SPAWNERS));
        let mut threads = Vec::new();
        for _ in 0..LISTERS {
            let (registry, lists, spawning) = (registry.clone(), lists.clone(), spawning.clone());
            threads.push(std::thread::spawn(move || {
                let mut kept = Vec::new();
                while spawning.load(SeqCst) > 0 {
                    kept.push(registry.running());
                    lists.fetch_add(1, SeqCst);
                }
            }));
        }
        for _ in 0..SPAWNERS {
            let (registry, lists, spawning) = (registry.clone(), lists.clone(), spawning.clone());
            let runtime = Handle::current();
            threads.push(std::thread::spawn(move || {
                let _entered = runtime.enter();
                while lists.load(SeqCst) == 0 {
                    std::thread::yield_now();
                }
                for _ in 0..EACH {
                    registry.spawn("new", std::future::pending());
                    registry.spawn("blip", async {});
                }
                spawning.fetch_sub(1, SeqCst);
            }));
        }
        for thread in threads {
            thread
                .join()
                .expect("a spawning or listing thread panicked");
        }
        // Every blip ends as soon as it runs: give them a moment of real
        // time (bounded, for a loaded machine) to run and be seen ending.
        let deadline = std::time::Instant::now() + secs(3);
        while registry.running().contains(&"blip".to_owned())
            && std::time::Instant::now() < deadline
        {
            tokio::time::sleep(ms(5)).await;
        }

        let listed = registry.running();
        let count = |name: &str| listed.iter().filter(|listed| *listed == name).count();
        assert_eq!(
            count("old"),
            ALREADY,
            "round {round}: a task spawned before the race went missing"
        );
        assert_eq!(
            count("new"),
            SPAWNERS * EACH,
            "round {round}: tasks spawned while `running` was listing went missing"
        );
        assert_eq!(
            count("blip"),
            0,
            "round {round}: tasks that ended are still listed: did one end and get \
             reaped before its name was recorded?"
        );
        let registry = Arc::into_inner(registry).expect("every other user has finished");
        let report = timeout(secs(5), registry.shutdown(Duration::ZERO))
            .await
            .expect("shutdown with a zero grace period never returned");
        assert_eq!(report.aborted.len(), ALREADY + SPAWNERS * EACH);
        // On a multi-thread runtime a worker takes a moment to release a
        // task after its end has been reported: allow it that moment.
        for _ in 0..1000 {
            if alive_tasks() == 0 {
                break;
            }
            tokio::time::sleep(ms(1)).await;
        }
        assert_eq!(
            alive_tasks(),
            0,
            "round {round}: a task is still alive after shutdown"
        );
    }
}

/// On a multi-thread runtime too, shutdown returns only once every aborted
/// task's future has been dropped, even one whose cleanup takes a while.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_waits_for_slow_cleanups_on_a_multi_thread_runtime() {
    /// A cleanup that takes 20 ms of real time, then records that it is done.
    struct SlowCleanup(Arc<Mutex<usize>>);
    impl Drop for SlowCleanup {
        fn drop(&mut self) {
            let until = std::time::Instant::now() + ms(20);
            while std::time::Instant::now() < until {
                std::thread::park_timeout(until - std::time::Instant::now());
            }
            *self.0.lock().unwrap() += 1;
        }
    }
    let cleaned = Arc::new(Mutex::new(0));
    let registry = Registry::new();
    for _ in 0..4 {
        let cleanup = SlowCleanup(Arc::clone(&cleaned));
        registry.spawn("holder", async move {
            let _cleanup = cleanup;
            std::future::pending::<()>().await;
        });
    }
    tokio::task::yield_now().await;

    let report = timeout(secs(5), registry.shutdown(Duration::ZERO))
        .await
        .expect("shutdown with a zero grace period never returned");

    assert_eq!(report.aborted.len(), 4);
    assert_eq!(
        *cleaned.lock().unwrap(),
        4,
        "shutdown returned before the aborted tasks had been dropped: abort only \
         asks, so wait for each aborted task to end"
    );
}

/// A task still busy (no `.await`, on a thread of its own) when the grace
/// period ends cannot be cut short: the abort reaches it only at an `.await`.
/// If it then panics, it ended on its own: finished, not aborted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_busy_across_the_deadline_that_then_panics_counts_as_finished() {
    let registry = Registry::new();
    let (started, busy) = std::sync::mpsc::channel();
    registry.spawn("busy", async move {
        // The send cannot fail: the receiver waits for it below.
        started.send(()).unwrap();
        let until = std::time::Instant::now() + ms(300);
        while std::time::Instant::now() < until {
            std::hint::spin_loop();
        }
        // Fails on purpose, without a backtrace (on a loaded machine taking
        // one costs real time).
        std::panic::resume_unwind(Box::new("the busy task failed"));
    });
    busy.recv_timeout(secs(10))
        .expect("the busy task never started");

    let report = timeout(secs(10), registry.shutdown(ms(50)))
        .await
        .expect("shutdown never finished");

    assert_eq!(
        report,
        ShutdownReport {
            finished: names(&["busy"]),
            aborted: Vec::new(),
        },
        "the busy task was never cut short (it had no `.await` to stop at) and then \
         panicked: it ended on its own, so it is finished, not aborted"
    );
}
