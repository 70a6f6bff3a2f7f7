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
