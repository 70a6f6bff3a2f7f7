//! Kata 02 tests: *when* does the work of a future happen?
//!
//! Every job writes `"<name> started"` and `"<name> finished"` into a shared
//! `Journal`, so a test can look at the journal at any moment and see which
//! work has run. The clock is tokio's paused clock: a simulated second costs
//! no real time, and elapsed time is exact.

use std::time::Duration;

use lazy_futures::{Journal, eager_job, lazy_job};
use tokio::task::yield_now;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// Every job in these tests takes this long.
const TOOK: Duration = Duration::from_secs(1);

async fn within_limit(report: impl Future<Output = String>) -> String {
    timeout(LIMIT, report)
        .await
        .expect("the job's report never came")
}

/// Awaiting the eager job gives its report.
#[tokio::test(start_paused = true)]
async fn the_eager_job_returns_its_report() {
    let journal = Journal::new();

    let report = within_limit(eager_job(journal.clone(), "backup", TOOK)).await;

    assert_eq!(report, "backup report");
    assert_eq!(journal.entries(), ["backup started", "backup finished"]);
}

/// Awaiting the lazy job gives its report.
#[tokio::test(start_paused = true)]
async fn the_lazy_job_returns_its_report() {
    let journal = Journal::new();

    let report = within_limit(lazy_job(journal.clone(), "backup", TOOK)).await;

    assert_eq!(report, "backup report");
    assert_eq!(journal.entries(), ["backup started", "backup finished"]);
}

/// The eager job starts as soon as the caller lets the runtime run, before
/// anyone awaits it.
#[tokio::test(start_paused = true)]
async fn the_eager_job_starts_before_it_is_awaited() {
    let journal = Journal::new();

    let report = eager_job(journal.clone(), "backup", TOOK);
    // Give the runtime one turn: a spawned task runs now; a plain future
    // that nobody polls does not.
    yield_now().await;

    assert_eq!(
        journal.entries(),
        ["backup started"],
        "the eager job did not start until it was awaited: it must be spawned when eager_job is called"
    );
    drop(report);
}

/// The eager job runs to the end while the caller is busy elsewhere; awaiting
/// it afterwards only collects the report.
#[tokio::test(start_paused = true)]
async fn the_eager_job_finishes_while_nobody_awaits_it() {
    let journal = Journal::new();

    let report = eager_job(journal.clone(), "backup", TOOK);
    sleep(TOOK * 2).await;

    assert_eq!(
        journal.entries(),
        ["backup started", "backup finished"],
        "the eager job must run on its own, without being awaited"
    );
    let collected = Instant::now();
    assert_eq!(within_limit(report).await, "backup report");
    assert_eq!(
        collected.elapsed(),
        Duration::ZERO,
        "the job had already finished: awaiting it must not run it again"
    );
}

/// Dropping the eager job's future does not cancel the job (like a Python
/// task the caller stopped looking at).
#[tokio::test(start_paused = true)]
async fn an_eager_job_dropped_unawaited_still_finishes() {
    let journal = Journal::new();

    drop(eager_job(journal.clone(), "backup", TOOK));
    sleep(TOOK * 2).await;

    assert_eq!(
        journal.entries(),
        ["backup started", "backup finished"],
        "dropping the returned future stopped the eager job: a detached task must run to the end"
    );
}

/// The lazy job does nothing, however long the caller waits, until it is
/// awaited.
#[tokio::test(start_paused = true)]
async fn the_lazy_job_does_nothing_until_awaited() {
    let journal = Journal::new();

    let report = lazy_job(journal.clone(), "backup", TOOK);
    yield_now().await;
    sleep(TOOK * 5).await;

    assert_eq!(
        journal.entries(),
        Vec::<String>::new(),
        "the lazy job ran before it was awaited: it must not be spawned"
    );
    let awaited = Instant::now();
    assert_eq!(within_limit(report).await, "backup report");
    assert_eq!(
        awaited.elapsed(),
        TOOK,
        "the lazy job must start when it is awaited and take its full second then"
    );
    assert_eq!(journal.entries(), ["backup started", "backup finished"]);
}

/// A lazy job that is dropped without ever being polled never runs at all.
#[tokio::test(start_paused = true)]
async fn a_lazy_job_dropped_unpolled_never_runs() {
    let journal = Journal::new();

    drop(lazy_job(journal.clone(), "backup", TOOK));
    yield_now().await;
    sleep(TOOK * 5).await;

    assert_eq!(
        journal.entries(),
        Vec::<String>::new(),
        "a dropped lazy job must leave no trace: it was started behind the caller's back"
    );
}

/// Eager jobs created together overlap even when awaited one after another:
/// three one-second jobs take one second.
#[tokio::test(start_paused = true)]
async fn eager_jobs_overlap_even_when_awaited_in_turn() {
    let journal = Journal::new();
    let start = Instant::now();

    let a = eager_job(journal.clone(), "a", TOOK);
    let b = eager_job(journal.clone(), "b", TOOK);
    let c = eager_job(journal.clone(), "c", TOOK);
    let reports = [
        within_limit(a).await,
        within_limit(b).await,
        within_limit(c).await,
    ];

    assert_eq!(reports, ["a report", "b report", "c report"]);
    assert_eq!(
        start.elapsed(),
        TOOK,
        "eager jobs must all be running before the first one is awaited"
    );
}

/// Lazy jobs awaited one after another run one after another: three
/// one-second jobs take three seconds, and each starts when the previous one
/// has finished.
#[tokio::test(start_paused = true)]
async fn lazy_jobs_awaited_in_turn_run_in_turn() {
    let journal = Journal::new();
    let start = Instant::now();

    let a = lazy_job(journal.clone(), "a", TOOK);
    let b = lazy_job(journal.clone(), "b", TOOK);
    let c = lazy_job(journal.clone(), "c", TOOK);
    let reports = [
        within_limit(a).await,
        within_limit(b).await,
        within_limit(c).await,
    ];

    assert_eq!(reports, ["a report", "b report", "c report"]);
    assert_eq!(
        start.elapsed(),
        TOOK * 3,
        "a lazy job must run only while it is awaited"
    );
    assert_eq!(
        journal.entries(),
        [
            "a started",
            "a finished",
            "b started",
            "b finished",
            "c started",
            "c finished"
        ]
    );
}
