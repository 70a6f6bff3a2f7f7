//! Kata 20 tests: one deadline over a group of jobs keeps what finished,
//! names what did not, and cancels the latter.
//!
//! The tests run on tokio's paused clock: the clock jumps to the next timer
//! whenever every task waits, so "returned at 5 s" and "cancelled at 5 s" are
//! exact claims. Each job logs when it starts, when it completes, and (from a
//! drop guard) when it was dropped before completing: that is the proof that
//! a cancelled job really stopped.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use group_deadline::{Report, run_with_deadline};
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

/// What happened to a job, and when (time since the test started).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    Started(&'static str, Duration),
    Completed(&'static str, Duration),
    Cancelled(&'static str, Duration),
}

/// The shared log every job writes into, and the test's start time.
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

    fn events(&self) -> Vec<Event> {
        self.log.lock().unwrap().clone()
    }

    fn cancelled(&self) -> Vec<Event> {
        let events = self.events();
        events
            .into_iter()
            .filter(|event| matches!(event, Event::Cancelled(..)))
            .collect()
    }

    fn completed_names(&self) -> Vec<&'static str> {
        let events = self.events();
        events
            .into_iter()
            .filter_map(|event| match event {
                Event::Completed(name, _) => Some(name),
                _ => None,
            })
            .collect()
    }
}

/// Logs `Cancelled` if it is dropped before the job completed.
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

/// A job named `name` that works for `seconds`, then returns `"<name> ok"`.
fn job(
    probe: &Probe,
    name: &'static str,
    seconds: u64,
) -> (String, impl Future<Output = String> + Send + 'static) {
    let probe = probe.clone();
    let work = async move {
        let mut guard = CancelGuard {
            name,
            probe: probe.clone(),
            completed: false,
        };
        probe.record(Event::Started(name, probe.start.elapsed()));
        sleep(secs(seconds)).await;
        guard.completed = true;
        probe.record(Event::Completed(name, probe.start.elapsed()));
        format!("{name} ok")
    };
    (name.to_owned(), work)
}

async fn run_within_limit<F>(jobs: Vec<(String, F)>, limit: Duration) -> Report<String>
where
    F: Future<Output = String> + Send + 'static,
{
    timeout(LIMIT, run_with_deadline(jobs, limit))
        .await
        .expect("run_with_deadline never returned")
}

fn finished(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// Jobs that finish before the deadline keep their results, even though
/// others did not finish: a deadline is not all or nothing.
#[tokio::test(start_paused = true)]
async fn jobs_that_beat_the_deadline_keep_their_results() {
    let probe = Probe::new();
    let jobs = vec![
        job(&probe, "a", 1),
        job(&probe, "b", 2),
        job(&probe, "c", 10),
        job(&probe, "d", 20),
    ];

    let report = run_within_limit(jobs, secs(5)).await;

    assert_eq!(
        report.finished,
        finished(&[("a", "a ok"), ("b", "b ok")]),
        "the results of the jobs that finished in time were lost"
    );
    assert_eq!(report.unfinished, ["c", "d"]);
}

/// The call returns at the deadline, not when the slowest job would finish.
#[tokio::test(start_paused = true)]
async fn it_returns_exactly_at_the_deadline() {
    let probe = Probe::new();
    let jobs = vec![job(&probe, "quick", 1), job(&probe, "endless", 3600)];

    run_within_limit(jobs, secs(5)).await;

    assert_eq!(
        probe.start.elapsed(),
        secs(5),
        "the group must stop waiting at its deadline, 5 s"
    );
}

/// Unfinished jobs are cancelled at the deadline: their cleanup has run by
/// the time the call returns, and they never complete afterwards.
#[tokio::test(start_paused = true)]
async fn unfinished_jobs_are_cancelled_at_the_deadline() {
    let probe = Probe::new();
    let jobs = vec![
        job(&probe, "a", 1),
        job(&probe, "slow", 10),
        job(&probe, "slower", 20),
    ];

    run_within_limit(jobs, secs(5)).await;
    let mut cancelled = probe.cancelled();
    cancelled.sort_by_key(|event| format!("{event:?}"));

    assert_eq!(
        cancelled,
        [
            Event::Cancelled("slow", secs(5)),
            Event::Cancelled("slower", secs(5)),
        ],
        "by the time it returns, every unfinished job must have been dropped, at the deadline"
    );
    sleep(secs(60)).await;
    assert_eq!(
        probe.completed_names(),
        ["a"],
        "an unfinished job kept running after the deadline and completed later"
    );
}

/// One deadline covers the whole group: each job does not get the limit
/// for itself, one after another.
#[tokio::test(start_paused = true)]
async fn the_deadline_covers_the_whole_group() {
    let probe = Probe::new();
    let jobs = vec![
        job(&probe, "a", 4),
        job(&probe, "b", 4),
        job(&probe, "c", 4),
        job(&probe, "d", 6),
    ];

    let report = run_within_limit(jobs, secs(5)).await;

    assert_eq!(
        probe.start.elapsed(),
        secs(5),
        "the limit was applied to each job in turn instead of to the group"
    );
    assert_eq!(
        report.finished,
        finished(&[("a", "a ok"), ("b", "b ok"), ("c", "c ok")])
    );
    assert_eq!(report.unfinished, ["d"]);
}

/// Every job starts at once; none waits for another.
#[tokio::test(start_paused = true)]
async fn all_jobs_start_at_once() {
    let probe = Probe::new();
    let jobs = vec![
        job(&probe, "a", 2),
        job(&probe, "b", 3),
        job(&probe, "c", 4),
    ];

    run_within_limit(jobs, secs(10)).await;
    let mut started: Vec<Event> = probe
        .events()
        .into_iter()
        .filter(|event| matches!(event, Event::Started(..)))
        .collect();
    started.sort_by_key(|event| format!("{event:?}"));

    assert_eq!(
        started,
        [
            Event::Started("a", Duration::ZERO),
            Event::Started("b", Duration::ZERO),
            Event::Started("c", Duration::ZERO),
        ],
        "the jobs did not all start at time zero"
    );
}

/// When everything finishes early, the call returns then, not at the deadline.
#[tokio::test(start_paused = true)]
async fn it_returns_as_soon_as_every_job_is_done() {
    let probe = Probe::new();
    let jobs = vec![
        job(&probe, "a", 3),
        job(&probe, "b", 1),
        job(&probe, "c", 2),
    ];

    let report = run_within_limit(jobs, secs(60)).await;

    assert_eq!(
        probe.start.elapsed(),
        secs(3),
        "it waited past the last job instead of returning when all were done"
    );
    assert_eq!(
        report,
        Report {
            finished: finished(&[("a", "a ok"), ("b", "b ok"), ("c", "c ok")]),
            unfinished: vec![],
        }
    );
    assert!(probe.cancelled().is_empty(), "a finished job was cancelled");
}

/// The report lists jobs in the order they were given, not the order they
/// finished.
#[tokio::test(start_paused = true)]
async fn the_report_keeps_the_order_of_the_jobs() {
    let probe = Probe::new();
    let jobs = vec![
        job(&probe, "third-to-end", 3),
        job(&probe, "never-b", 99),
        job(&probe, "first-to-end", 1),
        job(&probe, "never-a", 98),
        job(&probe, "second-to-end", 2),
    ];

    let report = run_within_limit(jobs, secs(5)).await;

    assert_eq!(
        report.finished,
        finished(&[
            ("third-to-end", "third-to-end ok"),
            ("first-to-end", "first-to-end ok"),
            ("second-to-end", "second-to-end ok"),
        ]),
        "finished jobs must be listed in the order they were given"
    );
    assert_eq!(
        report.unfinished,
        ["never-b", "never-a"],
        "unfinished jobs must be listed in the order they were given"
    );
}

/// If nothing beats the deadline, every job is named and cancelled.
#[tokio::test(start_paused = true)]
async fn when_nothing_finishes_every_job_is_named() {
    let probe = Probe::new();
    let jobs = vec![job(&probe, "x", 10), job(&probe, "y", 20)];

    let report = run_within_limit(jobs, secs(5)).await;

    assert_eq!(report.finished, []);
    assert_eq!(report.unfinished, ["x", "y"]);
    assert_eq!(probe.cancelled().len(), 2, "both jobs must be cancelled");
    assert_eq!(probe.start.elapsed(), secs(5));
}

/// No jobs, no waiting: the deadline is an upper bound, not a delay.
#[tokio::test(start_paused = true)]
async fn an_empty_group_returns_at_once() {
    let start = Instant::now();
    let jobs: Vec<(String, std::future::Ready<String>)> = Vec::new();

    let report = run_within_limit(jobs, secs(5)).await;

    assert_eq!(report.finished, []);
    assert!(report.unfinished.is_empty());
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// A deadline already past (a limit of zero) is not an error: the call
/// returns at once, every job that needs any time is unfinished, and none of
/// them runs on afterwards.
#[tokio::test(start_paused = true)]
async fn a_deadline_already_past_returns_at_once() {
    let probe = Probe::new();
    let jobs = vec![job(&probe, "x", 1), job(&probe, "y", 2)];

    let report = run_within_limit(jobs, Duration::ZERO).await;

    assert_eq!(
        probe.start.elapsed(),
        Duration::ZERO,
        "a limit of zero must not wait"
    );
    assert_eq!(
        report.finished,
        [],
        "no job can do a second's work in no time"
    );
    assert_eq!(report.unfinished, ["x", "y"]);
    sleep(secs(60)).await;
    assert_eq!(
        probe.completed_names(),
        Vec::<&str>::new(),
        "a job kept running after the call returned and completed later"
    );
}

/// A job that completes at the very instant of the deadline is a tie: it may
/// count as finished or as unfinished, but it is reported once, and
/// consistently: finished with its result, or unfinished, cancelled and never
/// completed. The jobs on either side of the tie are reported as usual.
#[tokio::test(start_paused = true)]
async fn a_job_ending_at_the_deadline_is_reported_once_and_consistently() {
    let probe = Probe::new();
    let jobs = vec![
        job(&probe, "before", 4),
        job(&probe, "tie", 5),
        job(&probe, "after", 6),
    ];

    let report = run_within_limit(jobs, secs(5)).await;
    assert_eq!(
        probe.start.elapsed(),
        secs(5),
        "the call must return at the deadline"
    );
    sleep(secs(60)).await;

    let tie_completed = probe.completed_names().contains(&"tie");
    if tie_completed {
        assert_eq!(
            report.finished,
            finished(&[("before", "before ok"), ("tie", "tie ok")]),
            "the tie job completed, so its result must be kept, not thrown away"
        );
        assert_eq!(report.unfinished, ["after"]);
    } else {
        assert_eq!(report.finished, finished(&[("before", "before ok")]));
        assert_eq!(
            report.unfinished,
            ["tie", "after"],
            "the tie job never completed, so it must be named unfinished"
        );
        assert!(
            probe
                .cancelled()
                .contains(&Event::Cancelled("tie", secs(5))),
            "the tie job was named unfinished, so it must have been cancelled at the deadline"
        );
    }
}

/// Two jobs may share a name: each keeps its own place and its own result.
#[tokio::test(start_paused = true)]
async fn jobs_with_the_same_name_are_reported_separately() {
    type Job = Pin<Box<dyn Future<Output = String> + Send>>;
    let returns_after = |seconds: u64, value: &'static str| -> Job {
        Box::pin(async move {
            sleep(secs(seconds)).await;
            value.to_owned()
        })
    };
    let jobs: Vec<(String, Job)> = vec![
        ("fetch".to_owned(), returns_after(1, "first")),
        ("fetch".to_owned(), returns_after(2, "second")),
        ("fetch".to_owned(), returns_after(10, "late")),
        ("fetch".to_owned(), returns_after(20, "later")),
    ];

    let report = timeout(LIMIT, run_with_deadline(jobs, secs(5)))
        .await
        .expect("run_with_deadline never returned");

    assert_eq!(
        report.finished,
        finished(&[("fetch", "first"), ("fetch", "second")]),
        "jobs that share a name were merged (were results looked up by name?)"
    );
    assert_eq!(report.unfinished, ["fetch", "fetch"]);
}

/// Dropping the call before its deadline (here, by a shorter timeout around
/// it) cancels every job: none is left running with nobody to report to.
#[tokio::test(start_paused = true)]
async fn dropping_the_call_cancels_every_job() {
    let probe = Probe::new();
    let jobs = vec![
        job(&probe, "a", 1),
        job(&probe, "b", 10),
        job(&probe, "c", 20),
    ];

    let outcome = timeout(secs(3), run_with_deadline(jobs, secs(5))).await;
    assert!(
        outcome.is_err(),
        "the call cannot finish before its 5 s deadline here"
    );
    sleep(Duration::from_millis(1)).await;

    let mut cancelled = probe.cancelled();
    cancelled.sort_by_key(|event| format!("{event:?}"));
    assert_eq!(
        cancelled,
        [
            Event::Cancelled("b", secs(3)),
            Event::Cancelled("c", secs(3))
        ],
        "dropping the call must cancel the jobs still running \
         (a dropped JoinHandle detaches its task; a JoinSet aborts them)"
    );
    sleep(secs(60)).await;
    assert_eq!(
        probe.completed_names(),
        ["a"],
        "a job kept running after the call was dropped"
    );
}

/// A job busy on another worker thread when the deadline passes (work with
/// no `.await`, which no abort can interrupt) goes on to finish. The call
/// must wait for it rather than return while it still runs, and keep its
/// result: it did finish, and throwing the value away helps nobody. Real
/// time on a multi-thread runtime, because the paused clock cannot show work
/// on another thread: the limit is 100 ms and the busy job ends 50 ms after
/// it. (If a loaded machine does not even start the job before the deadline,
/// the scenario is tried again.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_busy_across_the_deadline_is_waited_for_and_kept() {
    type Job = Pin<Box<dyn Future<Output = String> + Send>>;
    let limit = Duration::from_millis(100);
    for _attempt in 0..3 {
        let started = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicBool::new(false));
        let call_start = std::time::Instant::now();
        let busy: Job = Box::pin({
            let (started, done) = (Arc::clone(&started), Arc::clone(&done));
            async move {
                started.store(true, Ordering::SeqCst);
                while call_start.elapsed() < limit + Duration::from_millis(50) {
                    #[allow(clippy::disallowed_methods)] // deliberate: busy, no `.await`
                    std::thread::sleep(Duration::from_millis(1));
                }
                done.store(true, Ordering::SeqCst);
                "busy ok".to_owned()
            }
        });
        let idle: Job = Box::pin(async {
            sleep(secs(10)).await;
            "idle ok".to_owned()
        });
        let jobs = vec![("busy".to_owned(), busy), ("idle".to_owned(), idle)];

        let report = timeout(secs(5), run_with_deadline(jobs, limit))
            .await
            .expect("run_with_deadline never returned");
        let busy_done_at_return = done.load(Ordering::SeqCst);

        if !started.load(Ordering::SeqCst) {
            continue;
        }
        assert!(
            busy_done_at_return,
            "the call returned while a job was still running on another thread: \
             aborting only asks, and yielding once is a guess; wait until each job has ended"
        );
        assert_eq!(
            report.finished,
            finished(&[("busy", "busy ok")]),
            "a job that could not be stopped finished after the deadline, \
             and its result was thrown away"
        );
        assert_eq!(report.unfinished, ["idle"]);
        return;
    }
    panic!(
        "the busy job was not started before its deadline, three times: does the call start every job at once?"
    );
}

/// A job that panics has a bug; it did not merely miss the deadline. Its
/// panic reaches the caller instead of being reported as "unfinished".
#[tokio::test(start_paused = true)]
async fn a_panicking_job_panics_the_caller() {
    type Job = Pin<Box<dyn Future<Output = String> + Send>>;
    let probe = Probe::new();
    let (name, fine) = job(&probe, "fine", 1);
    let jobs: Vec<(String, Job)> = vec![
        (name, Box::pin(fine)),
        (
            "buggy".to_owned(),
            Box::pin(async {
                sleep(secs(2)).await;
                panic!("buggy job crashed")
            }),
        ),
    ];

    // Run it as a task of its own, to catch its panic as a `JoinError`.
    let run = tokio::spawn(run_with_deadline(jobs, secs(5)));
    let joined = timeout(LIMIT, run)
        .await
        .expect("run_with_deadline never returned");

    let error = joined.expect_err("the job's panic was swallowed: run_with_deadline returned");
    let payload = error.into_panic();
    let message = payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    assert!(
        message.contains("buggy job crashed"),
        "the caller panicked, but not with the job's panic: {message:?}"
    );
}

/// A job busy on another thread across the deadline (no `.await`, so no abort
/// can stop it) that then panics has a bug like any other: its panic reaches
/// the caller; it is not passed off as "cancelled" because the deadline had
/// passed. Real time on a multi-thread runtime, as in the test above.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_busy_across_the_deadline_that_then_panics_panics_the_caller() {
    type Job = Pin<Box<dyn Future<Output = String> + Send>>;
    let limit = Duration::from_millis(100);
    for _attempt in 0..3 {
        let started = Arc::new(AtomicBool::new(false));
        let call_start = std::time::Instant::now();
        let busy: Job = Box::pin({
            let started = Arc::clone(&started);
            async move {
                started.store(true, Ordering::SeqCst);
                while call_start.elapsed() < limit + Duration::from_millis(50) {
                    #[allow(clippy::disallowed_methods)] // deliberate: busy, no `.await`
                    std::thread::sleep(Duration::from_millis(1));
                }
                // Fails on purpose, without a backtrace (costly under load).
                std::panic::resume_unwind(Box::new("busy job crashed"))
            }
        });
        let idle: Job = Box::pin(async {
            sleep(secs(10)).await;
            "idle ok".to_owned()
        });
        let jobs = vec![("busy".to_owned(), busy), ("idle".to_owned(), idle)];

        let run = tokio::spawn(run_with_deadline(jobs, limit));
        let joined = timeout(secs(5), run)
            .await
            .expect("run_with_deadline never returned");
        if !started.load(Ordering::SeqCst) {
            continue;
        }
        let error = joined.expect_err(
            "the busy job panicked after the deadline and run_with_deadline returned a \
             report: a panic is a bug to pass on, not a job that merely ran late",
        );
        let payload = error.into_panic();
        let message = payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(
            message.contains("busy job crashed"),
            "the caller panicked, but not with the job's panic: {message:?}"
        );
        return;
    }
    panic!(
        "the busy job was not started before its deadline, three times: does the call start every job at once?"
    );
}
