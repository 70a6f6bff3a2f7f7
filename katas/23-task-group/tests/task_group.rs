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
