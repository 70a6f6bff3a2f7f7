//! Kata 18 tests: settled results, fail-fast that really cancels, and a
//! dashboard that degrades one section at a time.
//!
//! Jobs are simulated: each one waits its time on tokio's paused clock, logs
//! "finished N" if it gets to the end, and carries a drop guard that logs
//! "cleanup N" whenever its future is dropped, finished or cancelled. A job
//! cancelled too late (or never) shows up as a "finished" entry.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use gather_errors::{
    Backend, Dashboard, Profile, SERVICE_TIMEOUT, Service, Stats, fail_fast, load_dashboard, settle,
};
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

type Log = Arc<Mutex<Vec<String>>>;

fn entries(log: &Log) -> Vec<String> {
    let mut entries = log.lock().unwrap().clone();
    entries.sort();
    entries
}

/// Writes "cleanup N" when the job's future is dropped.
struct Cleanup {
    id: u32,
    log: Log,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        self.log
            .lock()
            .unwrap()
            .push(format!("cleanup {}", self.id));
    }
}

/// A job that takes `millis` and then returns `outcome`.
fn job(
    log: &Log,
    id: u32,
    millis: u64,
    outcome: Result<u32, &'static str>,
) -> impl Future<Output = Result<u32, &'static str>> + Send + 'static {
    let log = Arc::clone(log);
    async move {
        let _cleanup = Cleanup {
            id,
            log: Arc::clone(&log),
        };
        sleep(ms(millis)).await;
        log.lock().unwrap().push(format!("finished {id}"));
        outcome
    }
}

// --- settle -----------------------------------------------------------------

/// Every outcome is kept, errors included, in the order of the jobs.
#[tokio::test(start_paused = true)]
async fn settle_keeps_every_outcome_in_input_order() {
    let log = Log::default();
    let start = Instant::now();

    let outcomes = timeout(
        LIMIT,
        settle([
            job(&log, 1, 3000, Ok(10)),
            job(&log, 2, 1000, Err("boom")),
            job(&log, 3, 2000, Ok(30)),
        ]),
    )
    .await
    .expect("settle never finished");

    assert_eq!(outcomes, [Ok(10), Err("boom"), Ok(30)]);
    assert_eq!(
        start.elapsed(),
        ms(3000),
        "the jobs must run together: 3 s for the longest, not the sum"
    );
}

/// An error does not stop the other jobs: every one of them finishes.
#[tokio::test(start_paused = true)]
async fn settle_lets_every_job_finish_despite_an_error() {
    let log = Log::default();

    timeout(
        LIMIT,
        settle([
            job(&log, 1, 500, Err("early")),
            job(&log, 2, 2000, Ok(20)),
            job(&log, 3, 1000, Err("later")),
        ]),
    )
    .await
    .expect("settle never finished");

    assert_eq!(
        entries(&log),
        [
            "cleanup 1",
            "cleanup 2",
            "cleanup 3",
            "finished 1",
            "finished 2",
            "finished 3"
        ],
        "settle must let every job run to its end"
    );
}

// --- fail_fast --------------------------------------------------------------

/// With no error, every value comes back, in order, in the time of the longest.
#[tokio::test(start_paused = true)]
async fn fail_fast_returns_every_value_in_order_when_all_succeed() {
    let log = Log::default();
    let start = Instant::now();

    let values = timeout(
        LIMIT,
        fail_fast([
            job(&log, 1, 2000, Ok(10)),
            job(&log, 2, 1000, Ok(20)),
            job(&log, 3, 3000, Ok(30)),
        ]),
    )
    .await
    .expect("fail_fast never finished");

    assert_eq!(values, Ok(vec![10, 20, 30]));
    assert_eq!(start.elapsed(), ms(3000), "the jobs did not run together");
}

/// The first error to happen is returned the moment it happens, not the
/// first in input order, and not once everything else is done.
#[tokio::test(start_paused = true)]
async fn fail_fast_returns_the_first_error_as_soon_as_it_happens() {
    let log = Log::default();
    let start = Instant::now();

    let outcome = timeout(
        LIMIT,
        fail_fast([
            job(&log, 1, 10_000, Ok(10)),
            job(&log, 2, 2000, Err("late")),
            job(&log, 3, 1000, Err("early")),
        ]),
    )
    .await
    .expect("fail_fast never finished");

    assert_eq!(
        outcome,
        Err("early"),
        "the error that happened first must win"
    );
    assert_eq!(
        start.elapsed(),
        ms(1000),
        "fail_fast waited past the first error"
    );
}

/// When fail_fast returns its error, the jobs still running have been
/// cancelled (their cleanup ran), and none of them ever finishes.
#[tokio::test(start_paused = true)]
async fn fail_fast_cancels_the_siblings() {
    let log = Log::default();

    let outcome = timeout(
        LIMIT,
        fail_fast([
            job(&log, 1, 10_000, Ok(10)),
            job(&log, 2, 1000, Err("down")),
            job(&log, 3, 5000, Ok(30)),
        ]),
    )
    .await
    .expect("fail_fast never finished");
    assert_eq!(outcome, Err("down"));

    assert_eq!(
        entries(&log),
        ["cleanup 1", "cleanup 2", "cleanup 3", "finished 2"],
        "when fail_fast returns, the other jobs must already be cancelled"
    );
    sleep(ms(20_000)).await;
    assert_eq!(
        entries(&log),
        ["cleanup 1", "cleanup 2", "cleanup 3", "finished 2"],
        "a sibling kept running after fail_fast returned (a dropped JoinHandle detaches)"
    );
}

/// An empty batch settles at once, to no outcomes.
#[tokio::test(start_paused = true)]
async fn settle_of_no_jobs_is_empty() {
    let no_jobs: Vec<std::future::Ready<Result<u32, &str>>> = Vec::new();
    let start = Instant::now();

    let outcomes = timeout(LIMIT, settle(no_jobs))
        .await
        .expect("settle of no jobs never finished");

    assert!(outcomes.is_empty(), "no jobs, no outcomes");
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// An empty batch succeeds at once, with no values: nothing failed.
#[tokio::test(start_paused = true)]
async fn fail_fast_of_no_jobs_succeeds_with_no_values() {
    let no_jobs: Vec<std::future::Ready<Result<u32, &str>>> = Vec::new();
    let start = Instant::now();

    let outcome = timeout(LIMIT, fail_fast(no_jobs))
        .await
        .expect("fail_fast of no jobs never finished");

    assert_eq!(outcome, Ok(vec![]), "no jobs, so no error and no values");
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// Dropping `fail_fast` half-way (here, by a timeout) cancels every job
/// still running, as cancelling the task awaiting a `gather` does.
#[tokio::test(start_paused = true)]
async fn dropping_fail_fast_cancels_every_job() {
    let log = Log::default();

    let outcome = timeout(
        ms(1500),
        fail_fast([
            job(&log, 1, 1000, Ok(10)),
            job(&log, 2, 5000, Ok(20)),
            job(&log, 3, 5000, Err("too late")),
        ]),
    )
    .await;
    assert!(
        outcome.is_err(),
        "fail_fast cannot finish 5 s of work in 1.5 s"
    );
    sleep(ms(1)).await;

    assert_eq!(
        entries(&log),
        ["cleanup 1", "cleanup 2", "cleanup 3", "finished 1"],
        "dropping fail_fast must cancel the jobs still running \
         (were they spawned? a dropped JoinHandle detaches its task)"
    );
    sleep(ms(20_000)).await;
    assert_eq!(
        entries(&log),
        ["cleanup 1", "cleanup 2", "cleanup 3", "finished 1"],
        "a job kept running after fail_fast was dropped"
    );
}

/// When `fail_fast` returns its error, a sibling that was busy on another
/// worker thread (work with no `.await`, which no abort can interrupt) has
/// been dropped too: `fail_fast` waited for it rather than just asking.
/// Real time on a multi-thread runtime: the paused clock cannot show work
/// on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_fast_returns_only_once_a_busy_sibling_has_stopped() {
    use std::pin::Pin;
    use std::sync::atomic::{AtomicBool, Ordering};

    type Job = Pin<Box<dyn Future<Output = Result<u32, &'static str>> + Send>>;
    let log = Log::default();
    let returned = Arc::new(AtomicBool::new(false));
    let (busy_tx, busy_rx) = tokio::sync::oneshot::channel::<()>();

    // Job 1 says it is busy, then works with no `.await` until the test says
    // fail_fast has returned (or 300 ms at most); only then can it be dropped.
    let busy: Job = Box::pin({
        let (log, returned) = (Arc::clone(&log), Arc::clone(&returned));
        async move {
            let _cleanup = Cleanup { id: 1, log };
            let _ = busy_tx.send(());
            let started = std::time::Instant::now();
            while !returned.load(Ordering::SeqCst) && started.elapsed() < ms(300) {
                #[allow(clippy::disallowed_methods)] // deliberate: busy, no `.await`
                std::thread::sleep(ms(1));
            }
            std::future::pending().await
        }
    });
    // Job 2 fails as soon as job 1 is busy.
    let failing: Job = Box::pin(async move {
        let _ = busy_rx.await;
        Err("down")
    });

    let outcome = timeout(Duration::from_secs(2), fail_fast([busy, failing]))
        .await
        .expect("fail_fast never returned");
    let log_at_return = entries(&log);
    returned.store(true, Ordering::SeqCst);

    assert_eq!(outcome, Err("down"));
    assert_eq!(
        log_at_return,
        ["cleanup 1"],
        "fail_fast returned while a sibling was still running on another thread: \
         aborting only asks, and yielding once is a guess; wait until each has ended"
    );
}

// --- the dashboard ----------------------------------------------------------

fn full_profile() -> Option<Profile> {
    Some(Profile {
        name: "user 7".to_owned(),
    })
}

fn full_stats() -> Option<Stats> {
    Some(Stats {
        posts: 12,
        followers: 340,
    })
}

fn full_notifications() -> Option<Vec<String>> {
    Some(vec![
        "welcome back, user 7".to_owned(),
        "you have a new follower".to_owned(),
    ])
}

async fn load_within_limit(backend: &Backend) -> Dashboard {
    timeout(LIMIT, load_dashboard(backend, 7))
        .await
        .expect("load_dashboard never finished")
}

/// With every service healthy, every section is there and nothing is wrong.
#[tokio::test(start_paused = true)]
async fn a_healthy_dashboard_has_every_section() {
    let backend = Backend::new();

    let dashboard = load_within_limit(&backend).await;

    assert_eq!(
        dashboard,
        Dashboard {
            profile: full_profile(),
            stats: full_stats(),
            notifications: full_notifications(),
            problems: vec![],
        }
    );
}

/// The three services are called at once: the page takes as long as the
/// slowest one (stats, 500 ms), and each service is called exactly once.
#[tokio::test(start_paused = true)]
async fn the_dashboard_loads_its_sections_concurrently() {
    let backend = Backend::new();
    let start = Instant::now();

    load_within_limit(&backend).await;

    assert_eq!(
        start.elapsed(),
        ms(500),
        "the sections were loaded one after another"
    );
    let mut calls = backend.calls();
    calls.sort();
    let services: Vec<Service> = calls.iter().map(|(service, _)| *service).collect();
    assert_eq!(
        services,
        [Service::Profile, Service::Stats, Service::Notifications],
        "each service must be called exactly once"
    );
    for (service, started) in calls {
        assert_eq!(started, start, "{service:?} was called late");
    }
}

/// One failing service blanks its own section only; the others are kept.
#[tokio::test(start_paused = true)]
async fn a_failing_service_blanks_only_its_own_section() {
    let backend = Backend::new().failing(Service::Stats, "db down");
    let start = Instant::now();

    let dashboard = load_within_limit(&backend).await;

    assert_eq!(
        dashboard,
        Dashboard {
            profile: full_profile(),
            stats: None,
            notifications: full_notifications(),
            problems: vec![(Service::Stats, "db down".to_owned())],
        },
        "a failed section must not take the good sections down with it"
    );
    assert_eq!(start.elapsed(), ms(500));
}

/// Every failed section is listed, in section order, with its own error.
#[tokio::test(start_paused = true)]
async fn every_failed_section_is_listed() {
    let backend = Backend::new()
        .failing(Service::Notifications, "queue full")
        .failing(Service::Profile, "no such user");

    let dashboard = load_within_limit(&backend).await;

    assert_eq!(
        dashboard,
        Dashboard {
            profile: None,
            stats: full_stats(),
            notifications: None,
            problems: vec![
                (Service::Profile, "no such user".to_owned()),
                (Service::Notifications, "queue full".to_owned()),
            ],
        }
    );
}

/// A service that never answers costs its section, after exactly
/// `SERVICE_TIMEOUT`, and not the page.
#[tokio::test(start_paused = true)]
async fn a_hanging_service_degrades_after_the_timeout() {
    let backend = Backend::new().hanging(Service::Notifications);
    let start = Instant::now();

    let dashboard = load_within_limit(&backend).await;

    assert_eq!(
        start.elapsed(),
        SERVICE_TIMEOUT,
        "a hung service must cost its section after SERVICE_TIMEOUT, no more, no less"
    );
    assert_eq!(
        dashboard,
        Dashboard {
            profile: full_profile(),
            stats: full_stats(),
            notifications: None,
            problems: vec![(Service::Notifications, "timed out".to_owned())],
        }
    );
}

/// Every section is bounded by its own timeout: with all three services hung,
/// the page still comes back after exactly `SERVICE_TIMEOUT`, with every
/// section listed as timed out.
#[tokio::test(start_paused = true)]
async fn every_section_has_its_own_timeout() {
    let backend = Backend::new()
        .hanging(Service::Profile)
        .hanging(Service::Stats)
        .hanging(Service::Notifications);
    let start = Instant::now();

    let dashboard = load_within_limit(&backend).await;

    assert_eq!(
        start.elapsed(),
        SERVICE_TIMEOUT,
        "a section without its own timeout held the page"
    );
    assert_eq!(
        dashboard,
        Dashboard {
            profile: None,
            stats: None,
            notifications: None,
            problems: vec![
                (Service::Profile, "timed out".to_owned()),
                (Service::Stats, "timed out".to_owned()),
                (Service::Notifications, "timed out".to_owned()),
            ],
        }
    );
}
