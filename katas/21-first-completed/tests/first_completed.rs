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
    named(probe, name, name, millis, ok)
}

/// Like [`attempt`], but the attempt is called `name` while the log and
/// its answer say `label`: several attempts may share one name.
fn named(
    probe: &Probe,
    label: &'static str,
    name: &str,
    millis: u64,
    ok: bool,
) -> (String, impl Future<Output = Answer> + Send + 'static) {
    let probe = probe.clone();
    let work = async move {
        let mut guard = CancelGuard {
            name: label,
            probe: probe.clone(),
            completed: false,
        };
        probe.record(Event::Started(label, probe.start.elapsed()));
        sleep(ms(millis)).await;
        guard.completed = true;
        probe.record(Event::Completed(label, probe.start.elapsed()));
        if ok {
            Ok(format!("{label} answer"))
        } else {
            Err(format!("{label} failed"))
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

/// A backup whose turn comes at the very instant a success arrives is not
/// sent: the success arrived "by then". Checked with the winner's answer
/// both before and after the backup's timer was set.
#[tokio::test(start_paused = true)]
async fn a_backup_due_as_a_success_arrives_is_never_sent() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "primary", 200, OK),
        attempt(&probe, "backup", 100, OK),
    ];
    let outcome = race(attempts, ms(200)).await;
    assert_eq!(outcome, winner("primary"));
    assert_eq!(
        probe.started(),
        [Event::Started("primary", ms(0))],
        "the primary answered at 200 ms, the moment the backup was due: \
         the backup must not be sent"
    );

    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "primary", 5000, OK),
        attempt(&probe, "backup-1", 200, OK),
        attempt(&probe, "backup-2", 100, OK),
    ];
    let outcome = race(attempts, ms(200)).await;
    assert_eq!(outcome, winner("backup-1"));
    assert_eq!(
        probe.started(),
        [
            Event::Started("backup-1", ms(200)),
            Event::Started("primary", ms(0)),
        ],
        "backup-1 answered at 400 ms, the moment backup-2 was due: \
         backup-2 must not be sent"
    );
}

/// Names are labels, not keys: attempts that share a name are raced
/// separately, and every loser among them is cancelled by the return.
#[tokio::test(start_paused = true)]
async fn attempts_sharing_a_name_are_each_cancelled() {
    let probe = Probe::new();
    let attempts = vec![
        named(&probe, "first", "replica", 3000, OK),
        named(&probe, "second", "replica", 1000, OK),
        named(&probe, "third", "replica", 2000, OK),
    ];

    let outcome = race(attempts, Duration::ZERO).await;

    assert_eq!(
        outcome,
        Ok(("replica".to_owned(), "second answer".to_owned()))
    );
    assert_eq!(
        probe.cancelled(),
        [
            Event::Cancelled("first", ms(1000)),
            Event::Cancelled("third", ms(1000)),
        ],
        "two attempts were both called \"replica\": each loser must be \
         cancelled by the time the winner is returned"
    );
    sleep(ms(60_000)).await;
    assert_eq!(probe.completed(), [Event::Completed("second", ms(1000))]);
}

/// Attempts that share a name each keep their own error when all fail.
#[tokio::test(start_paused = true)]
async fn attempts_sharing_a_name_each_keep_their_error() {
    let probe = Probe::new();
    let attempts = vec![
        named(&probe, "first", "replica", 3000, FAILS),
        named(&probe, "second", "replica", 1000, FAILS),
        named(&probe, "third", "replica", 2000, FAILS),
    ];

    let outcome = race(attempts, Duration::ZERO).await;

    let error = |label: &str| ("replica".to_owned(), format!("{label} failed"));
    assert_eq!(
        outcome,
        Err(vec![error("second"), error("third"), error("first")]),
        "three attempts called \"replica\" failed: all three errors are \
         wanted, in the order they failed"
    );
}

/// Dropping the race itself (a timeout around it, say) cancels every
/// attempt on the spot, whichever `.await` the race was at: each started
/// attempt's cleanup has run when the drop is done, and nothing starts or
/// completes afterwards.
#[tokio::test(start_paused = true)]
async fn dropping_the_race_cancels_every_attempt_at_every_await() {
    // primary: 0..250 ms, fails; backup-1: 200..800 ms, succeeds;
    // backup-2: 400..1400 ms. Dropped at each of these instants:
    for drop_at in [0, 100, 200, 250, 300, 400, 500, 799] {
        let probe = Probe::new();
        let attempts = vec![
            attempt(&probe, "primary", 250, FAILS),
            attempt(&probe, "backup-1", 600, OK),
            attempt(&probe, "backup-2", 1000, OK),
        ];

        let dropped = timeout(ms(drop_at), first_success(attempts, ms(200))).await;

        assert!(
            dropped.is_err(),
            "the race must still be running at {drop_at} ms"
        );
        let finished = |name| {
            probe
                .completed()
                .iter()
                .any(|event| matches!(event, Event::Completed(done, _) if *done == name))
        };
        let expected: Vec<Event> = probe
            .started()
            .iter()
            .filter_map(|event| match event {
                Event::Started(name, _) if !finished(*name) => {
                    Some(Event::Cancelled(name, ms(drop_at)))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            probe.cancelled(),
            expected,
            "the race was dropped at {drop_at} ms: every attempt still running \
             must have been dropped with it, before the drop returned"
        );
        let before = probe.log.lock().unwrap().clone();
        sleep(ms(60_000)).await;
        let after = probe.log.lock().unwrap().clone();
        assert_eq!(
            after, before,
            "the race was dropped at {drop_at} ms, but attempts went on after it"
        );
    }
}

/// A stagger of `Duration::MAX` puts every backup's turn beyond what the
/// clock can reach: the primary races alone, and nothing panics.
#[tokio::test(start_paused = true)]
async fn a_stagger_of_duration_max_never_sends_a_backup() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "primary", 1000, OK),
        attempt(&probe, "backup-1", 100, OK),
        attempt(&probe, "backup-2", 100, OK),
    ];

    let outcome = race(attempts, Duration::MAX).await;

    assert_eq!(outcome, winner("primary"));
    assert_eq!(probe.start.elapsed(), ms(1000));
    assert_eq!(probe.started(), [Event::Started("primary", ms(0))]);
}

/// The race sleeps between events: it is woken when an attempt completes
/// or a backup is due, not checked on a timer or in a loop.
#[tokio::test(start_paused = true)]
async fn the_race_sleeps_between_events() {
    let probe = Probe::new();
    let attempts = vec![
        attempt(&probe, "primary", 1000, FAILS),
        attempt(&probe, "backup-1", 900, FAILS),
        attempt(&probe, "backup-2", 1600, OK),
    ];
    let mut polls = 0;
    let mut racing = std::pin::pin!(first_success(attempts, ms(200)));
    let counted = std::future::poll_fn(|cx| {
        polls += 1;
        racing.as_mut().poll(cx)
    });

    let outcome = timeout(LIMIT, counted)
        .await
        .expect("first_success never returned");

    assert_eq!(outcome, winner("backup-2"));
    assert_eq!(probe.start.elapsed(), ms(2000));
    assert!(
        polls <= 20,
        "the race was polled {polls} times for 2 s with five events \
         (three starts, two failures) and a winner: it polls or sleeps in a loop"
    );
}
