//! Kata 23 tests: a task group returns every result or the first error, and
//! no child outlives it.
//!
//! The tests run on tokio's paused clock: the clock jumps to the next timer
//! whenever every task waits, so "the error came back at 1 s" is an exact
//! claim. Each child carries a drop guard that records when its future was
//! dropped: that is how a test proves a sibling was cancelled, and not merely
//! forgotten while it runs on in the background. One test's child panics on
//! purpose: its message in the output is the default panic hook, not a
//! failing test.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use task_group::TaskGroup;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

/// What happened to each child, with the virtual time since the test began.
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

    /// When `event` happened, if it did.
    fn when(&self, event: &str) -> Option<Duration> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .find(|(seen, _)| seen == event)
            .map(|(_, at)| *at)
    }
}

/// Records "`name` dropped" when the child's future is dropped: at its end,
/// or when it is cancelled.
struct DropGuard {
    name: &'static str,
    log: Log,
}

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.log.record(format!("{} dropped", self.name));
    }
}

/// A child that works for `work`, then returns `outcome`; it logs "started",
/// "completed" and "dropped".
fn child(
    log: &Log,
    name: &'static str,
    work: Duration,
    outcome: Result<u32, String>,
) -> impl Future<Output = Result<u32, String>> + Send + 'static {
    let log = log.clone();
    async move {
        let _guard = DropGuard {
            name,
            log: log.clone(),
        };
        log.record(format!("{name} started"));
        sleep(work).await;
        log.record(format!("{name} completed"));
        outcome
    }
}

async fn join_within_limit(group: TaskGroup<u32, String>) -> Result<Vec<u32>, String> {
    timeout(LIMIT, group.join())
        .await
        .expect("join never returned")
}

/// Asserts that a child was dropped at `at` and never got to complete.
fn assert_cancelled_at(log: &Log, name: &str, at: Duration) {
    assert_eq!(
        log.when(&format!("{name} completed")),
        None,
        "child {name:?} was not cancelled: it ran to completion"
    );
    assert_eq!(
        log.when(&format!("{name} dropped")),
        Some(at),
        "child {name:?} must be cancelled (its future dropped) at {at:?}"
    );
}

/// All children succeed: `join` gives their values in spawn order, once the
/// slowest has finished; they all ran at the same time.
#[tokio::test(start_paused = true)]
async fn join_returns_every_value_in_spawn_order() {
    let log = Log::new();
    let mut group = TaskGroup::new();
    group.spawn(child(&log, "slow", secs(3), Ok(30)));
    group.spawn(child(&log, "fast", secs(1), Ok(10)));
    group.spawn(child(&log, "mid", secs(2), Ok(20)));
    let start = Instant::now();

    let values = join_within_limit(group).await;

    assert_eq!(
        values,
        Ok(vec![30, 10, 20]),
        "the values must come back in the order the children were spawned"
    );
    assert_eq!(
        start.elapsed(),
        secs(3),
        "the children must run concurrently: the group takes as long as the slowest (3 s)"
    );
    for name in ["slow", "fast", "mid"] {
        assert_eq!(
            log.when(&format!("{name} started")),
            Some(Duration::ZERO),
            "child {name:?} must start at once, when it is spawned"
        );
    }
}

/// The first child to fail in time (not in spawn order) decides the error,
/// and `join` returns it at that very moment.
#[tokio::test(start_paused = true)]
async fn the_first_error_is_returned_as_soon_as_it_happens() {
    let log = Log::new();
    let mut group = TaskGroup::new();
    group.spawn(child(&log, "later-failure", secs(2), Err("later".into())));
    group.spawn(child(&log, "first-failure", secs(1), Err("first".into())));
    group.spawn(child(&log, "long", secs(10), Ok(1)));
    let start = Instant::now();

    let outcome = join_within_limit(group).await;

    assert_eq!(
        outcome,
        Err("first".to_owned()),
        "the error must be the first one to happen, not the first spawned"
    );
    assert_eq!(
        start.elapsed(),
        secs(1),
        "join must return as soon as the first child fails (1 s), without waiting for the others"
    );
}

/// When a child fails, every sibling still running is cancelled, and already
/// gone when `join` returns the error: nothing outlives the group.
#[tokio::test(start_paused = true)]
async fn siblings_are_cancelled_before_join_returns_the_error() {
    let log = Log::new();
    let mut group = TaskGroup::new();
    group.spawn(child(&log, "quick", secs(1), Ok(1)));
    group.spawn(child(&log, "failing", secs(2), Err("boom".into())));
    group.spawn(child(&log, "long", secs(10), Ok(3)));
    group.spawn(child(&log, "longer", secs(20), Ok(4)));

    let outcome = join_within_limit(group).await;

    assert_eq!(outcome, Err("boom".to_owned()));
    assert_eq!(
        log.when("quick completed"),
        Some(secs(1)),
        "a child that finished before the failure simply finished"
    );
    // Checked the moment `join` returns: the siblings must already be gone.
    assert_cancelled_at(&log, "long", secs(2));
    assert_cancelled_at(&log, "longer", secs(2));
    // And they stay gone.
    sleep(secs(60)).await;
    assert_cancelled_at(&log, "long", secs(2));
    assert_cancelled_at(&log, "longer", secs(2));
}

/// Dropping the group without joining it cancels every child.
#[tokio::test(start_paused = true)]
async fn dropping_the_group_cancels_every_child() {
    let log = Log::new();
    {
        let mut group = TaskGroup::<u32, String>::new();
        group.spawn(child(&log, "a", secs(10), Ok(1)));
        group.spawn(child(&log, "b", secs(20), Ok(2)));
        sleep(secs(1)).await;
        // The group goes out of scope here, unjoined.
    }
    sleep(secs(60)).await;

    assert_cancelled_at(&log, "a", secs(1));
    assert_cancelled_at(&log, "b", secs(1));
}

/// A `join` that is itself cancelled (here by a timeout) cancels every child:
/// the caller giving up is the group giving up.
#[tokio::test(start_paused = true)]
async fn a_cancelled_join_cancels_every_child() {
    let log = Log::new();
    let mut group = TaskGroup::<u32, String>::new();
    group.spawn(child(&log, "a", secs(10), Ok(1)));
    group.spawn(child(&log, "b", secs(20), Ok(2)));

    let outcome = timeout(secs(2), group.join()).await;
    sleep(secs(60)).await;

    assert!(outcome.is_err(), "the 2 s timeout must cut the join short");
    assert_cancelled_at(&log, "a", secs(2));
    assert_cancelled_at(&log, "b", secs(2));
}

/// A child that panics ends the group like an error (its siblings are
/// cancelled), and the panic reaches the caller of `join` with its own message.
#[tokio::test(start_paused = true)]
async fn a_panicking_child_cancels_its_siblings_and_the_panic_reaches_the_caller() {
    let log = Log::new();
    let mut group = TaskGroup::new();
    group.spawn(child(&log, "long", secs(10), Ok(1)));
    group.spawn(async {
        sleep(secs(1)).await;
        panic!("child panicked on purpose (this message is expected)");
    });

    // The join runs in a task of its own, so that its panic is caught in the
    // task's JoinHandle instead of failing this test.
    let joining = tokio::spawn(group.join());
    let outcome = timeout(LIMIT, joining).await.expect("join never returned");

    let payload = outcome
        .expect_err("join must not return normally when a child panicked")
        .try_into_panic()
        .expect("the task running join must end by panicking");
    let message = payload
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| payload.downcast_ref::<String>().cloned());
    assert_eq!(
        message.as_deref(),
        Some("child panicked on purpose (this message is expected)"),
        "the child's own panic must resume in the caller (JoinError::into_panic + resume_unwind), not a new one"
    );
    assert_cancelled_at(&log, "long", secs(1));
}

/// A group with no children has nothing to wait for.
#[tokio::test(start_paused = true)]
async fn an_empty_group_joins_at_once() {
    let start = Instant::now();

    let values = join_within_limit(TaskGroup::new()).await;

    assert_eq!(values, Ok(vec![]));
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// Runs a future and catches a panic raised while polling it, so that a test
/// can look at the world the moment the panic comes out of `join`.
struct CatchUnwind<F>(std::pin::Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(value)) => std::task::Poll::Ready(Ok(value)),
            Err(payload) => std::task::Poll::Ready(Err(payload)),
        }
    }
}

/// When a child's panic comes out of `join`, its siblings are already gone:
/// the group waited for them before resuming the panic.
#[tokio::test(start_paused = true)]
async fn the_siblings_are_gone_when_the_panic_reaches_the_caller() {
    let log = Log::new();
    let mut group = TaskGroup::new();
    group.spawn(child(&log, "long", secs(10), Ok(1)));
    group.spawn(async {
        sleep(secs(1)).await;
        panic!("child panicked on purpose (this message is expected)");
    });

    let outcome = timeout(LIMIT, CatchUnwind(Box::pin(group.join())))
        .await
        .expect("join never returned");

    assert!(outcome.is_err(), "join must panic when a child panicked");
    // Checked the moment the panic comes out, before anything else runs.
    assert_eq!(
        log.when("long dropped"),
        Some(secs(1)),
        "the panic reached the caller while a sibling was still alive: cancel \
         and wait for the siblings (`shutdown().await`) before resuming the panic"
    );
    sleep(secs(60)).await;
    assert_cancelled_at(&log, "long", secs(1));
}

/// Errors that happened before `join` was even called are ranked by time
/// too: the one that happened first wins, whatever the spawn order.
#[tokio::test(start_paused = true)]
async fn errors_before_join_are_ranked_by_time_too() {
    let log = Log::new();
    let mut group = TaskGroup::new();
    group.spawn(child(&log, "second", secs(2), Err("second".into())));
    group.spawn(child(&log, "first", secs(1), Err("first".into())));
    group.spawn(child(&log, "long", secs(10), Ok(1)));
    sleep(secs(3)).await;

    let outcome = join_within_limit(group).await;

    assert_eq!(
        outcome,
        Err("first".to_owned()),
        "both children had failed when join was called (at 1 s and 2 s): the \
         first error in time is the answer, not the first child in spawn order"
    );
    assert_cancelled_at(&log, "long", secs(3));
}

/// A child spawned after a sibling has already failed still belongs to the
/// group: `join` returns the earlier error at once and cancels it.
#[tokio::test(start_paused = true)]
async fn a_child_spawned_after_a_failure_is_cancelled_by_join() {
    let log = Log::new();
    let mut group = TaskGroup::new();
    group.spawn(child(&log, "failing", secs(1), Err("boom".into())));
    sleep(secs(2)).await;
    group.spawn(child(&log, "late", secs(10), Ok(2)));
    let start = Instant::now();

    let outcome = join_within_limit(group).await;

    assert_eq!(outcome, Err("boom".to_owned()));
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "a child had already failed: join must not wait for the late one"
    );
    sleep(secs(60)).await;
    assert_eq!(
        log.when("late completed"),
        None,
        "the child spawned after the failure ran on after join returned"
    );
    if log.when("late started").is_some() {
        assert_cancelled_at(&log, "late", secs(2));
    }
}

/// A `join` dropped at any of its awaits (before the children ran, while they
/// run, or at the instant a child fails and the siblings are being stopped)
/// leaves no child running: each is cancelled at that instant.
#[tokio::test(start_paused = true)]
async fn a_join_dropped_at_any_await_leaves_no_child_running() {
    // "failing" fails at 1 s; "a" and "b" would run 10 s and 20 s.
    for drop_at in [0, 500, 1000] {
        let log = Log::new();
        let mut group = TaskGroup::new();
        group.spawn(child(&log, "failing", secs(1), Err("boom".into())));
        group.spawn(child(&log, "a", secs(10), Ok(1)));
        group.spawn(child(&log, "b", secs(20), Ok(2)));

        let outcome = timeout(Duration::from_millis(drop_at), group.join()).await;
        sleep(secs(60)).await;

        assert!(
            matches!(outcome, Err(_) | Ok(Err(_))),
            "the join dropped at {drop_at} ms cannot have succeeded"
        );
        for name in ["a", "b"] {
            if log.when(&format!("{name} started")).is_some() {
                assert_cancelled_at(&log, name, Duration::from_millis(drop_at));
            }
        }
    }
}

/// `join` sleeps while it waits: it is woken when a child ends, not on a
/// timer of its own.
#[tokio::test(start_paused = true)]
async fn join_sleeps_while_it_waits() {
    let log = Log::new();
    let mut group = TaskGroup::new();
    group.spawn(child(&log, "a", secs(1), Ok(1)));
    group.spawn(child(&log, "b", secs(2), Ok(2)));
    group.spawn(child(&log, "c", secs(3), Ok(3)));
    let mut polls = 0;
    let mut joining = std::pin::pin!(group.join());
    let counted = std::future::poll_fn(|cx| {
        polls += 1;
        joining.as_mut().poll(cx)
    });

    let values = timeout(LIMIT, counted).await.expect("join never returned");

    assert_eq!(values, Ok(vec![1, 2, 3]));
    assert!(
        polls <= 10,
        "join was polled {polls} times for three children over 3 s: it checks \
         on a timer or in a loop instead of waiting"
    );
}

/// On a multi-thread runtime too, `join` returns the error only once every
/// sibling's future has been dropped, even one whose cleanup takes a while.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_waits_for_slow_cleanups_on_a_multi_thread_runtime() {
    /// A cleanup that takes 20 ms of real time, then records that it is done.
    struct SlowCleanup(Arc<Mutex<usize>>);
    impl Drop for SlowCleanup {
        fn drop(&mut self) {
            let until = std::time::Instant::now() + Duration::from_millis(20);
            while std::time::Instant::now() < until {
                std::thread::park_timeout(until - std::time::Instant::now());
            }
            *self.0.lock().unwrap() += 1;
        }
    }
    let cleaned = Arc::new(Mutex::new(0));
    let (fail, failed) = tokio::sync::oneshot::channel::<()>();
    let mut group = TaskGroup::<u32, String>::new();
    for _ in 0..4 {
        let cleanup = SlowCleanup(Arc::clone(&cleaned));
        group.spawn(async move {
            let _cleanup = cleanup;
            std::future::pending::<Result<u32, String>>().await
        });
    }
    group.spawn(async move {
        let _ = failed.await;
        Err("boom".to_owned())
    });
    let joining = tokio::spawn(group.join());
    tokio::task::yield_now().await;
    fail.send(()).expect("the failing child is waiting");

    let outcome = timeout(secs(10), joining)
        .await
        .expect("join never returned")
        .expect("join panicked");

    assert_eq!(outcome, Err("boom".to_owned()));
    assert_eq!(
        *cleaned.lock().unwrap(),
        4,
        "join returned the error before the aborted siblings had been dropped: \
         abort only asks, so wait for each of them to end"
    );
}
