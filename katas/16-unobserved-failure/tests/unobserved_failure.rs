//! Kata 16 tests: every failure of a supervised task is reported, once, with
//! the task's name, at the moment it happens.
//!
//! The tests run on tokio's paused clock: the clock jumps to the next timer
//! whenever every task waits, so "reported at 1 s" is an exact, checkable
//! claim. Panicking tasks print their message to the test's output; that is
//! the default panic hook doing its job, not a failing test.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::time::{Instant, sleep, timeout};
use unobserved_failure::{Failure, FailureKind, Failures, supervisor};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

/// An odd moment on purpose (1009 is prime): a watcher that checks its task
/// on a timer instead of awaiting its handle would only notice at its next
/// tick, after this.
const ODD_MOMENT: Duration = Duration::from_millis(1009);

async fn recv_within_limit(failures: &mut Failures) -> Option<Failure> {
    timeout(LIMIT, failures.recv())
        .await
        .expect("Failures::recv never answered: is a sender kept alive after every task finished?")
}

/// Receives until the stream ends.
async fn recv_all(failures: &mut Failures) -> Vec<Failure> {
    let mut all = Vec::new();
    while let Some(failure) = recv_within_limit(failures).await {
        all.push(failure);
    }
    all
}

fn error(task: &str, message: &str) -> Failure {
    Failure {
        task: task.to_owned(),
        kind: FailureKind::Error(message.to_owned()),
    }
}

fn panic(task: &str, message: &str) -> Failure {
    Failure {
        task: task.to_owned(),
        kind: FailureKind::Panic(message.to_owned()),
    }
}

/// A task that returns `Ok(())` is no news: the stream just ends when it does.
#[tokio::test(start_paused = true)]
async fn a_task_that_succeeds_is_not_reported() {
    let (supervisor, mut failures) = supervisor();
    let start = Instant::now();

    supervisor.spawn("heartbeat", async {
        sleep(ODD_MOMENT).await;
        Ok::<(), String>(())
    });
    drop(supervisor);

    assert_eq!(
        recv_within_limit(&mut failures).await,
        None,
        "a task that succeeded was reported as a failure"
    );
    assert_eq!(
        start.elapsed(),
        ODD_MOMENT,
        "the reports must end exactly when the last task finishes"
    );
}

/// A task that returns `Err` is reported with its name and the error's text.
#[tokio::test(start_paused = true)]
async fn an_error_is_reported_with_the_tasks_name() {
    let (supervisor, mut failures) = supervisor();

    supervisor.spawn("sync-orders", async {
        sleep(secs(1)).await;
        Err::<(), _>("connection refused")
    });
    drop(supervisor);

    assert_eq!(
        recv_within_limit(&mut failures).await,
        Some(error("sync-orders", "connection refused")),
        "the task's Err was lost: nobody looked at what it returned"
    );
    assert_eq!(recv_within_limit(&mut failures).await, None);
}

/// A task that panics with a literal message (a `&'static str` payload).
async fn make_thumbnails() -> Result<(), String> {
    sleep(secs(1)).await;
    panic!("disk full")
}

/// A task that panics is reported with its name and the panic message.
#[tokio::test(start_paused = true)]
async fn a_panic_is_reported_with_the_tasks_name() {
    let (supervisor, mut failures) = supervisor();

    supervisor.spawn("thumbnailer", make_thumbnails());
    drop(supervisor);

    assert_eq!(
        recv_within_limit(&mut failures).await,
        Some(panic("thumbnailer", "disk full")),
        "the task's panic was lost: a panic is not an Err, it ends the task and \
         shows up only as a JoinError in its JoinHandle"
    );
    assert_eq!(recv_within_limit(&mut failures).await, None);
}

/// A formatted panic message (a `String` payload) keeps its text.
#[tokio::test(start_paused = true)]
async fn a_formatted_panic_message_is_kept() {
    let (supervisor, mut failures) = supervisor();
    let shard = 3;

    supervisor.spawn("rebalance", async move {
        if shard > 0 {
            panic!("shard {shard} lost");
        }
        Ok::<(), String>(())
    });
    drop(supervisor);

    assert_eq!(
        recv_within_limit(&mut failures).await,
        Some(panic("rebalance", "shard 3 lost"))
    );
}

/// A task that panics with a number, not a message.
async fn encode() -> Result<(), String> {
    sleep(secs(1)).await;
    std::panic::panic_any(42_u32)
}

/// A panic whose payload is not text (`panic_any(42)`) is a failure all the
/// same: it is reported, with the text `panic_message` gives it.
#[tokio::test(start_paused = true)]
async fn a_panic_without_a_text_message_is_still_reported() {
    let (supervisor, mut failures) = supervisor();

    supervisor.spawn("encoder", encode());
    drop(supervisor);

    assert_eq!(
        recv_within_limit(&mut failures).await,
        Some(panic("encoder", "a panic with a non-string payload")),
        "a panic with no text is still a failure: report it, with what panic_message says"
    );
    assert_eq!(recv_within_limit(&mut failures).await, None);
}

/// A task may run for hours before it fails: its watcher waits as long as
/// the task runs, and the failure is reported when it comes, an hour later.
#[tokio::test(start_paused = true)]
async fn a_failure_an_hour_later_is_still_reported() {
    const HOUR: Duration = Duration::from_secs(3600);
    let (supervisor, mut failures) = supervisor();
    let start = Instant::now();

    supervisor.spawn("hourly-sync", async {
        sleep(HOUR).await;
        Err::<(), _>("remote gone")
    });
    drop(supervisor);

    let first = timeout(HOUR * 2, failures.recv())
        .await
        .expect("Failures::recv never answered");
    assert_eq!(
        first,
        Some(error("hourly-sync", "remote gone")),
        "a failure after an hour was lost: did the watcher stop waiting for its task?"
    );
    assert_eq!(start.elapsed(), HOUR, "reported late, or early");
}

/// A failure is reported when it happens, not when the tasks spawned before
/// it have finished.
#[tokio::test(start_paused = true)]
async fn a_failure_is_reported_when_it_happens() {
    let (supervisor, mut failures) = supervisor();
    let start = Instant::now();

    supervisor.spawn("nightly-report", async {
        sleep(secs(10)).await;
        Ok::<(), String>(())
    });
    supervisor.spawn("cache-warmer", async {
        sleep(ODD_MOMENT).await;
        Err::<(), _>("redis unreachable")
    });

    assert_eq!(
        recv_within_limit(&mut failures).await,
        Some(error("cache-warmer", "redis unreachable"))
    );
    assert_eq!(
        start.elapsed(),
        ODD_MOMENT,
        "the failure at 1.009 s was reported late: were the tasks awaited one after \
         another, or checked on a timer instead of awaited?"
    );
}

/// Many tasks, mixed outcomes: every failure comes out exactly once, in the
/// order the failures happened (not the order the tasks were spawned in),
/// and no success does.
#[tokio::test(start_paused = true)]
async fn every_failure_is_reported_exactly_once() {
    let (supervisor, mut failures) = supervisor();
    let start = Instant::now();

    // Spawned latest-failing first, so spawn order is not failure order.
    for i in (1..=3).rev() {
        supervisor.spawn(format!("ok-{i}"), async move {
            sleep(secs(i)).await;
            Ok::<(), String>(())
        });
        supervisor.spawn(format!("err-{i}"), async move {
            sleep(secs(10 * i)).await;
            Err::<(), _>(format!("error {i}"))
        });
        supervisor.spawn(format!("panic-{i}"), async move {
            sleep(secs(10 * i + 5)).await;
            if i > 0 {
                panic!("panic {i}");
            }
            Ok::<(), String>(())
        });
    }
    drop(supervisor);

    let all = recv_all(&mut failures).await;

    assert_eq!(
        all,
        [
            error("err-1", "error 1"),
            panic("panic-1", "panic 1"),
            error("err-2", "error 2"),
            panic("panic-2", "panic 2"),
            error("err-3", "error 3"),
            panic("panic-3", "panic 3"),
        ],
        "each of the six failures must be reported once, as it happens; no success at all"
    );
    assert_eq!(start.elapsed(), secs(35));
}

/// Dropping the supervisor does not cancel its tasks or silence them: a
/// failure that happens later is still reported.
#[tokio::test(start_paused = true)]
async fn a_failure_after_the_supervisor_is_dropped_is_still_reported() {
    let (supervisor, mut failures) = supervisor();
    let start = Instant::now();

    supervisor.spawn("late", async {
        sleep(secs(5)).await;
        Err::<(), _>("too late")
    });
    drop(supervisor);

    assert_eq!(
        recv_within_limit(&mut failures).await,
        Some(error("late", "too late")),
        "the reports ended before the last task had finished"
    );
    assert_eq!(start.elapsed(), secs(5));
    assert_eq!(recv_within_limit(&mut failures).await, None);
}

/// Tasks start at once and run even if nobody ever asks for their failures.
#[tokio::test(start_paused = true)]
async fn tasks_run_without_anyone_waiting_for_them() {
    let (supervisor, _failures) = supervisor();
    let ran = Arc::new(AtomicBool::new(false));

    let flag = Arc::clone(&ran);
    supervisor.spawn("background", async move {
        sleep(secs(1)).await;
        flag.store(true, Ordering::SeqCst);
        Ok::<(), String>(())
    });
    sleep(secs(2)).await;

    assert!(
        ran.load(Ordering::SeqCst),
        "the task did not run on its own: spawn must start it at once"
    );
}

/// Tasks spawned from a clone of the supervisor report to the same place.
#[tokio::test(start_paused = true)]
async fn a_clone_of_the_supervisor_reports_to_the_same_place() {
    let (supervisor, mut failures) = supervisor();
    let clone = supervisor.clone();

    supervisor.spawn("first", async {
        sleep(secs(1)).await;
        Err::<(), _>("one")
    });
    clone.spawn("second", async {
        sleep(secs(2)).await;
        Err::<(), _>("two")
    });
    drop(supervisor);
    drop(clone);

    assert_eq!(
        recv_all(&mut failures).await,
        [error("first", "one"), error("second", "two")]
    );
}
