//! Kata 02 tests: *when* does the work of a future happen?
//!
//! Every job writes `"<name> started"` and `"<name> finished"` into a shared
//! `Journal`, so a test can look at the journal at any moment and see which
//! work has run. The clock is tokio's paused clock: a simulated second costs
//! no real time, and elapsed time is exact.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use lazy_futures::{Journal, eager_job, lazy_job};
use tokio::runtime::Handle;
use tokio::task::yield_now;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// Every job in these tests takes this long.
const TOOK: Duration = Duration::from_secs(1);

/// How long a test waits to see whether something runs behind its back.
const HOUR: Duration = Duration::from_secs(3600);

/// Polls `future` exactly once, whatever that poll returns.
async fn poll_once<F: Future>(future: std::pin::Pin<&mut F>) {
    let mut future = Some(future);
    std::future::poll_fn(|cx| {
        let _ = future.take().expect("polled once").poll(cx);
        Poll::Ready(())
    })
    .await;
}

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
    sleep(HOUR).await;

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
    sleep(HOUR).await;

    assert_eq!(
        journal.entries(),
        Vec::<String>::new(),
        "a dropped lazy job must leave no trace: it was started behind the caller's back"
    );
}

/// An eager job keeps running when the caller starts awaiting it and then
/// gives up (here a timeout half-way): only the waiting stops.
#[tokio::test(start_paused = true)]
async fn an_eager_job_finishes_though_its_awaiter_gave_up() {
    let journal = Journal::new();

    let gave_up = timeout(TOOK / 2, eager_job(journal.clone(), "backup", TOOK)).await;
    assert!(
        gave_up.is_err(),
        "a one-second job finished in half a second"
    );
    sleep(TOOK * 2).await;

    assert_eq!(
        journal.entries(),
        ["backup started", "backup finished"],
        "giving up on the report cancelled the eager job: dropping the future that \
         awaits a spawned task must leave the task running"
    );
}

/// Outside a runtime there is nothing to start the eager job on: `eager_job`
/// panics (its `# Panics` section), rather than quietly running the job later.
#[test]
fn an_eager_job_outside_a_runtime_panics() {
    let journal = Journal::new();

    let outcome = std::panic::catch_unwind(|| drop(eager_job(journal.clone(), "backup", TOOK)));

    let Err(panic) = outcome else {
        panic!(
            "eager_job returned outside a runtime: it cannot have started the job, so it must panic"
        );
    };
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(
        !message.starts_with("not yet implemented"),
        "eager_job panicked at a `todo!()`: it must panic because there is no runtime to start the job on"
    );
}

/// A lazy job dropped after it started stops where it was: right after its
/// first poll, or part-way through its wait. It never finishes.
#[tokio::test(start_paused = true)]
async fn a_lazy_job_dropped_after_it_started_stops_there() {
    for waited in [Duration::ZERO, TOOK / 2, TOOK - Duration::from_millis(1)] {
        let journal = Journal::new();
        {
            let mut report = pin!(lazy_job(journal.clone(), "backup", TOOK));
            poll_once(report.as_mut()).await;
            sleep(waited).await;
            poll_once(report.as_mut()).await;
        } // dropped here, part-way through the job
        sleep(HOUR).await;

        assert!(
            !journal.entries().contains(&"backup finished".to_owned()),
            "the lazy job finished after its future was dropped {waited:?} in: once \
             started, it must still run only inside the future (was it spawned on its \
             first poll?)"
        );
    }
}

/// A started lazy job moves on only while it is polled: left unpolled past
/// its second, it has not finished; polled again, it finishes at once.
#[tokio::test(start_paused = true)]
async fn a_started_lazy_job_moves_on_only_when_polled() {
    let journal = Journal::new();
    let mut report = pin!(lazy_job(journal.clone(), "backup", TOOK));

    poll_once(report.as_mut()).await;
    sleep(TOOK * 2).await;

    assert_eq!(
        journal.entries(),
        ["backup started"],
        "the lazy job went on by itself while nobody polled it: it runs in a task, not \
         in the future that was returned"
    );
    let resumed = Instant::now();
    assert_eq!(within_limit(report).await, "backup report");
    assert_eq!(
        resumed.elapsed(),
        Duration::ZERO,
        "its second had passed: polled again, the lazy job must finish at once"
    );
}

/// A lazy job costs nothing until it is awaited: no task is spawned for it.
#[tokio::test(start_paused = true)]
async fn a_lazy_job_spawns_no_task() {
    let journal = Journal::new();
    let alive_before = Handle::current().metrics().num_alive_tasks();

    let report = lazy_job(journal.clone(), "backup", TOOK);
    yield_now().await;

    assert_eq!(
        Handle::current().metrics().num_alive_tasks(),
        alive_before,
        "lazy_job spawned a task: a lazy job is just a future, nothing runs or waits \
         on the runtime until it is awaited"
    );
    drop(report);
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
