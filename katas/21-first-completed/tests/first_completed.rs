//! Kata 21 tests: hedged requests. The first success wins, failures are
//! skipped, the losers are cancelled, and all-failed gives every error.
//!
//! The tests run on tokio's paused clock: the clock jumps to the next timer
//! whenever every task waits, so start and end times are exact claims. Each
//! attempt logs when it starts, when it completes, and (from a drop guard)
//! when it was dropped before completing: the proof that a loser stopped.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use first_completed::first_success;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// What happened to an attempt, and when (time since the test started).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    Started(&'static str, Duration),
    Completed(&'static str, Duration),
    Cancelled(&'static str, Duration),
}

/// The shared log every attempt writes into, and the test's start time.
#[derive(Clone)]
struct Probe {
    log: Arc<Mutex<Vec<Event>>>,
    start: Instant,
}

impl Probe {
    fn new() -> Self {
        Probe {
            log: Arc::default(),
            start: Instant::now(),
        }
    }

    fn record(&self, event: Event) {
        self.log.lock().unwrap().push(event);
    }

    /// The events of one kind, sorted so that the order of equal times
    /// does not matter.
    fn only(&self, kind: fn(&Event) -> bool) -> Vec<Event> {
        let mut events: Vec<Event> = self
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|event| kind(event))
            .cloned()
            .collect();
        events.sort_by_key(|event| format!("{event:?}"));
        events
    }

    fn started(&self) -> Vec<Event> {
        self.only(|event| matches!(event, Event::Started(..)))
    }

    fn completed(&self) -> Vec<Event> {
        self.only(|event| matches!(event, Event::Completed(..)))
    }

    fn cancelled(&self) -> Vec<Event> {
        self.only(|event| matches!(event, Event::Cancelled(..)))
    }
}

/// Logs `Cancelled` if it is dropped before the attempt completed.
struct CancelGuard {
    name: &'static str,
    probe: Probe,
    completed: bool,
}

impl Drop for CancelGuard {
    fn drop(&mut self) {
        if !self.completed {
            let at = self.probe.start.elapsed();
            self.probe.record(Event::Cancelled(self.name, at));
        }
    }
}

type Answer = Result<String, String>;

/// For [`attempt`]: it succeeds.
const OK: bool = true;
/// For [`attempt`]: it fails.
const FAILS: bool = false;

/// An attempt named `name` that takes `millis`, then succeeds with
/// `"<name> answer"` (if `ok`) or fails with `"<name> failed"`.
fn attempt(
    probe: &Probe,
    name: &'static str,
    millis: u64,
    ok: bool,
) -> (String, impl Future<Output = Answer> + Send + 'static) {
    let probe = probe.clone();
    let work = async move {
        let mut guard = CancelGuard {
            name,
            probe: probe.clone(),
            completed: false,
        };
        probe.record(Event::Started(name, probe.start.elapsed()));
        sleep(ms(millis)).await;
        guard.completed = true;
        probe.record(Event::Completed(name, probe.start.elapsed()));
        if ok {
            Ok(format!("{name} answer"))
        } else {
            Err(format!("{name} failed"))
        }
    };
    (name.to_owned(), work)
}

async fn race<F>(
    attempts: Vec<(String, F)>,
    stagger: Duration,
) -> Result<(String, String), Vec<(String, String)>>
where
    F: Future<Output = Answer> + Send + 'static,
{
    timeout(LIMIT, first_success(attempts, stagger))
        .await
        .expect("first_success never returned")
}

fn winner(name: &str) -> Result<(String, String), Vec<(String, String)>> {
    Ok((name.to_owned(), format!("{name} answer")))
}

/// With all attempts started together, the fastest success wins, at the
/// moment it arrives.
#[tokio::test(start_paused = true)]
async fn the_fastest_success_wins() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "a", 3000, OK),
        attempt(&probe, "b", 1000, OK),
        attempt(&probe, "c", 2000, OK),
    ];

    let outcome = race(attempts, Duration::ZERO).await;

    assert_eq!(outcome, winner("b"));
    assert_eq!(
        probe.start.elapsed(),
        ms(1000),
        "the winner must be returned the moment it arrives"
    );
}

/// The first attempt to *complete* failed: that is not the answer. It is
/// skipped, and the first success wins.
#[tokio::test(start_paused = true)]
async fn a_fast_failure_does_not_win() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "broken", 100, FAILS),
        attempt(&probe, "slow", 2000, OK),
        attempt(&probe, "steady", 1000, OK),
    ];

    let outcome = race(attempts, Duration::ZERO).await;

    assert_eq!(
        outcome,
        winner("steady"),
        "the first attempt to finish failed; the first success is the answer"
    );
    assert_eq!(probe.start.elapsed(), ms(1000));
}

/// When the winner arrives, every other attempt is dropped at once: its
/// cleanup has run before the call returns, and it never completes later.
#[tokio::test(start_paused = true)]
async fn the_losers_are_cancelled_when_the_winner_arrives() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "winner", 1000, OK),
        attempt(&probe, "slow", 5000, OK),
        attempt(&probe, "slower", 10_000, FAILS),
    ];

    let outcome = race(attempts, Duration::ZERO).await;

    assert_eq!(outcome, winner("winner"));
    assert_eq!(
        probe.cancelled(),
        [
            Event::Cancelled("slow", ms(1000)),
            Event::Cancelled("slower", ms(1000)),
        ],
        "when it returns, every loser must have been dropped, at the moment the winner arrived"
    );
    sleep(ms(60_000)).await;
    assert_eq!(
        probe.completed(),
        [Event::Completed("winner", ms(1000))],
        "a loser kept running after the race was decided"
    );
}

/// If every attempt fails, the caller gets every error, with its name, in
/// the order the attempts failed, once the last one has failed.
#[tokio::test(start_paused = true)]
async fn when_every_attempt_fails_every_error_is_returned() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "a", 3000, FAILS),
        attempt(&probe, "b", 1000, FAILS),
        attempt(&probe, "c", 2000, FAILS),
    ];

    let outcome = race(attempts, Duration::ZERO).await;

    let errors = |names: &[&str]| -> Vec<(String, String)> {
        names
            .iter()
            .map(|name| ((*name).to_owned(), format!("{name} failed")))
            .collect()
    };
    assert_eq!(
        outcome,
        Err(errors(&["b", "c", "a"])),
        "all the errors are wanted, in the order the attempts failed"
    );
    assert_eq!(probe.start.elapsed(), ms(3000));
}

/// Attempts start one `stagger` apart: the later ones are backups.
#[tokio::test(start_paused = true)]
async fn attempts_start_one_stagger_apart() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "primary", 1000, OK),
        attempt(&probe, "backup-1", 5000, OK),
        attempt(&probe, "backup-2", 5000, OK),
    ];

    let outcome = race(attempts, ms(200)).await;

    assert_eq!(outcome, winner("primary"));
    assert_eq!(
        probe.started(),
        [
            Event::Started("backup-1", ms(200)),
            Event::Started("backup-2", ms(400)),
            Event::Started("primary", ms(0)),
        ],
        "attempt i must start i x stagger after the call"
    );
}

/// A backup sent later can still win, and then the primary is cancelled.
#[tokio::test(start_paused = true)]
async fn a_backup_that_answers_first_wins() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "primary", 2000, OK),
        attempt(&probe, "backup", 300, OK),
    ];

    let outcome = race(attempts, ms(200)).await;

    assert_eq!(outcome, winner("backup"));
    assert_eq!(
        probe.start.elapsed(),
        ms(500),
        "the backup starts at 200 ms and answers 300 ms later"
    );
    assert_eq!(probe.cancelled(), [Event::Cancelled("primary", ms(500))]);
}

/// Backups whose turn has not come when the winner arrives are never sent.
#[tokio::test(start_paused = true)]
async fn backups_not_yet_due_are_never_started() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "primary", 500, OK),
        attempt(&probe, "backup-1", 100, OK),
        attempt(&probe, "backup-2", 100, OK),
    ];

    let outcome = race(attempts, ms(1000)).await;
    sleep(ms(10_000)).await;

    assert_eq!(outcome, winner("primary"));
    assert_eq!(
        probe.started(),
        [Event::Started("primary", ms(0))],
        "a backup was sent although the primary had already answered"
    );
}

/// Failures are skipped across the schedule too: a failed primary leaves
/// the race to the backups.
#[tokio::test(start_paused = true)]
async fn a_failed_primary_leaves_the_race_to_the_backups() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "primary", 100, FAILS),
        attempt(&probe, "backup-1", 100, FAILS),
        attempt(&probe, "backup-2", 100, OK),
    ];

    let outcome = race(attempts, ms(300)).await;

    assert_eq!(outcome, winner("backup-2"));
    assert_eq!(
        probe.started(),
        [
            Event::Started("backup-1", ms(300)),
            Event::Started("backup-2", ms(600)),
            Event::Started("primary", ms(0)),
        ],
        "the schedule is fixed: a failure neither brings the next backup \
         forward nor pushes it back"
    );
    assert_eq!(probe.start.elapsed(), ms(700));
}

/// No attempts, no answer: an empty list of errors, at once.
#[tokio::test(start_paused = true)]
async fn no_attempts_is_an_empty_failure() {
    let start = Instant::now();
    let attempts: Vec<(String, std::future::Ready<Answer>)> = Vec::new();

    let outcome = race(attempts, ms(100)).await;

    assert_eq!(outcome, Err(vec![]));
    assert_eq!(start.elapsed(), Duration::ZERO);
}
