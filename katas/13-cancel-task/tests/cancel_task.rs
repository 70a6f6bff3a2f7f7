//! Kata 13 tests: cancelling a worker, on tokio's paused clock.
//!
//! Every worker writes what it does into a shared `Journal`. A step that was
//! interrupted shows up as `Begun(n)` with no `Done(n)`; the cleanup shows up
//! as `CleanedUp`. So the tests can see *where* a cancellation landed and that
//! the cleanup really ran, not just what value came back.

use std::time::Duration;

use cancel_task::{Event, Journal, Outcome, Worker, spawn_worker, work};
use tokio::runtime::Handle;
use tokio::time::{Instant, sleep, timeout};
use tokio_util::sync::CancellationToken;

use Event::{Begun, CleanedUp, Done};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// Every step of every worker in these tests takes this long.
const STEP: Duration = Duration::from_millis(100);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Lets virtual time run on long after any worker in these tests would have
/// finished, so that work left running in the background shows in the journal.
async fn settle() {
    sleep(Duration::from_secs(10)).await;
}

/// How many tasks the test's runtime still has alive (the test's own body is
/// not a task).
fn alive_tasks() -> usize {
    Handle::current().metrics().num_alive_tasks()
}

async fn outcome_within_limit(worker: Worker) -> Outcome {
    timeout(LIMIT, worker.outcome())
        .await
        .expect("the worker's outcome never came")
}

/// Left alone, a worker does every step and then cleans up.
#[tokio::test(start_paused = true)]
async fn an_uncancelled_worker_completes_every_step() {
    let journal = Journal::new();
    let start = Instant::now();

    let outcome = outcome_within_limit(spawn_worker(journal.clone(), 3, STEP)).await;

    assert_eq!(outcome, Outcome::Completed { steps: 3 });
    assert_eq!(start.elapsed(), ms(300), "three 100 ms steps take 300 ms");
    assert_eq!(
        journal.events(),
        [
            Begun(1),
            Done(1),
            Begun(2),
            Done(2),
            Begun(3),
            Done(3),
            CleanedUp
        ],
        "the cleanup must run exactly once, after the last step"
    );
}

/// A cancelled worker's outcome says it was cancelled, not that it finished.
#[tokio::test(start_paused = true)]
async fn the_outcome_of_a_cancelled_worker_is_cancelled() {
    let worker = spawn_worker(Journal::new(), 5, STEP);
    sleep(ms(250)).await;

    worker.cancel();

    assert_eq!(
        outcome_within_limit(worker).await,
        Outcome::Cancelled,
        "an aborted task has no value: its JoinError says is_cancelled()"
    );
}

/// The cleanup runs when the worker is cancelled, exactly like a `finally`.
#[tokio::test(start_paused = true)]
async fn cleanup_runs_when_the_worker_is_cancelled() {
    let journal = Journal::new();
    let worker = spawn_worker(journal.clone(), 5, STEP);
    sleep(ms(250)).await;

    worker.cancel();
    let _ = outcome_within_limit(worker).await;

    let events = journal.events();
    assert_eq!(
        events.iter().filter(|event| **event == CleanedUp).count(),
        1,
        "the cleanup must run exactly once when the worker is cancelled; got {events:?}"
    );
    assert_eq!(
        events.last(),
        Some(&CleanedUp),
        "the cleanup must be the last thing the worker did"
    );
}

/// Cancellation lands at the `.await` in progress: step 3 began at 200 ms and
/// was cut off at 250 ms, before its sleep completed; no later step began,
/// not even long after (nothing of the worker was left running elsewhere).
#[tokio::test(start_paused = true)]
async fn cancellation_lands_at_the_await_in_progress() {
    let journal = Journal::new();
    let worker = spawn_worker(journal.clone(), 5, STEP);
    sleep(ms(250)).await;

    worker.cancel();
    let _ = outcome_within_limit(worker).await;
    settle().await;

    assert_eq!(
        journal.events(),
        [Begun(1), Done(1), Begun(2), Done(2), Begun(3), CleanedUp],
        "step 3 was parked on its sleep: the abort must drop it there, mid-step, \
         and no part of the worker may go on after it"
    );
}

/// `cancel` does not wait for the step in progress: the worker is gone at once.
#[tokio::test(start_paused = true)]
async fn a_cancelled_worker_ends_without_finishing_its_step() {
    let worker = spawn_worker(Journal::new(), 5, STEP);
    sleep(ms(250)).await;
    let cancelled_at = Instant::now();

    worker.cancel();
    let _ = outcome_within_limit(worker).await;

    assert_eq!(
        cancelled_at.elapsed(),
        Duration::ZERO,
        "the worker ran on after cancel(): it finished its step instead of stopping at the await"
    );
}

/// A worker cancelled before it ever ran never runs its body: no step, and no
/// cleanup either, because the guard was never created.
#[tokio::test(start_paused = true)]
async fn a_worker_cancelled_before_it_runs_does_nothing() {
    let journal = Journal::new();
    let start = Instant::now();

    let worker = spawn_worker(journal.clone(), 5, STEP);
    worker.cancel();
    let outcome = outcome_within_limit(worker).await;

    assert_eq!(outcome, Outcome::Cancelled);
    assert_eq!(
        journal.events(),
        [],
        "a task aborted before its first poll never starts"
    );
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// A panic in the worker is a bug, not a cancellation: `outcome` re-raises the
/// worker's own panic, and the cleanup ran while the panic unwound the worker.
#[tokio::test(start_paused = true)]
async fn a_panic_in_the_worker_is_re_raised_not_reported_as_cancelled() {
    let journal = Journal::failing_at(Done(2));
    let worker = spawn_worker(journal.clone(), 5, STEP);

    // `outcome` must panic, so it runs in a task of its own, whose JoinError
    // the test can read.
    let waiter = tokio::spawn(worker.outcome());
    let result = timeout(LIMIT, waiter)
        .await
        .expect("the worker's outcome never came");

    let error = match result {
        Ok(outcome) => panic!("the worker panicked, but outcome() said {outcome:?}"),
        Err(error) => error,
    };
    assert!(
        error.is_panic(),
        "outcome() must re-raise the worker's panic; got {error:?}"
    );
    let payload = error.into_panic();
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied());
    assert_eq!(
        message,
        Some("the worker failed at Done(2)"),
        "re-raise the worker's own panic (resume_unwind), not a new one"
    );
    assert_eq!(
        journal.events(),
        [Begun(1), Done(1), Begun(2), Done(2), CleanedUp],
        "a panic unwinds the worker, and its drop guard cleans up on the way"
    );
}

/// Cancelling a worker that already finished changes nothing: its result stays.
#[tokio::test(start_paused = true)]
async fn cancelling_a_finished_worker_keeps_its_result() {
    let journal = Journal::new();
    let worker = spawn_worker(journal.clone(), 2, STEP);
    sleep(ms(500)).await;

    worker.cancel();

    assert_eq!(
        outcome_within_limit(worker).await,
        Outcome::Completed { steps: 2 },
        "the worker had finished before cancel(); it must not be reported as cancelled"
    );
    assert_eq!(
        journal.events(),
        [Begun(1), Done(1), Begun(2), Done(2), CleanedUp]
    );
}

/// A polite stop lets the step in progress finish, then the worker returns
/// how many steps it did, and cleans up.
#[tokio::test(start_paused = true)]
async fn stop_lets_the_step_in_progress_finish() {
    let journal = Journal::new();
    let start = Instant::now();
    let worker = spawn_worker(journal.clone(), 5, STEP);
    sleep(ms(250)).await;

    worker.stop();
    let outcome = outcome_within_limit(worker).await;

    assert_eq!(outcome, Outcome::Completed { steps: 3 });
    assert_eq!(
        start.elapsed(),
        ms(300),
        "step 3 should end at 300 ms, and nothing after it"
    );
    assert_eq!(
        journal.events(),
        [
            Begun(1),
            Done(1),
            Begun(2),
            Done(2),
            Begun(3),
            Done(3),
            CleanedUp
        ],
        "after stop(), the step in progress finishes and no new step begins"
    );
}

/// The cleanup lives in the future itself: dropping the `work` future (here
/// by a timeout, with no task and no abort involved) at any of its `.await`s
/// runs the cleanup during the drop, and stops the steps for good.
#[tokio::test(start_paused = true)]
async fn dropping_the_work_future_at_any_step_runs_the_cleanup() {
    for interrupted in 1..=4 {
        let journal = Journal::new();

        // Step `interrupted` is parked on its sleep when the timeout fires.
        let result = timeout(
            STEP * (interrupted - 1) + ms(50),
            work(journal.clone(), 4, STEP, CancellationToken::new()),
        )
        .await;
        assert!(
            result.is_err(),
            "four 100 ms steps cannot finish before step {interrupted} does"
        );

        let mut expected = Vec::new();
        for step in 1..interrupted {
            expected.extend([Begun(step), Done(step)]);
        }
        expected.extend([Begun(interrupted), CleanedUp]);
        assert_eq!(
            journal.events(),
            expected,
            "dropped in step {interrupted}: the cleanup must run while the future is \
             dropped (in Drop itself, not in a task spawned for later), after the \
             interrupted step began"
        );
        settle().await;
        assert_eq!(
            journal.events(),
            expected,
            "dropped in step {interrupted}: nothing of the worker may run on afterwards"
        );
    }
}

/// Dropping the `work` future leaves no task behind: the steps belong to the
/// future, so nothing of them is left running once it is gone.
#[tokio::test(start_paused = true)]
async fn dropping_the_work_future_leaves_no_task_behind() {
    let result = timeout(
        ms(150),
        work(Journal::new(), 5, STEP, CancellationToken::new()),
    )
    .await;

    assert!(result.is_err(), "five 100 ms steps cannot finish in 150 ms");
    assert_eq!(
        alive_tasks(),
        0,
        "a task spawned by the worker (a step, a sleep) is still running after \
         the worker was dropped: dropping a JoinHandle does not cancel its task"
    );
}

/// A cancelled worker leaves no task behind: once its outcome is known, no
/// task of it (the worker's, or one it spawned for a step) is still alive.
#[tokio::test(start_paused = true)]
async fn a_cancelled_worker_leaves_no_task_behind() {
    let worker = spawn_worker(Journal::new(), 5, STEP);
    sleep(ms(250)).await;

    worker.cancel();
    let _ = outcome_within_limit(worker).await;

    assert_eq!(
        alive_tasks(),
        0,
        "a task of the worker is still running after it was cancelled: \
         aborting a task does not abort the tasks it spawned"
    );
}

/// A worker with nothing to do completes at once, with zero steps, and still
/// cleans up.
#[tokio::test(start_paused = true)]
async fn a_worker_of_zero_steps_completes_at_once_and_cleans_up() {
    let journal = Journal::new();
    let start = Instant::now();

    let outcome = outcome_within_limit(spawn_worker(journal.clone(), 0, STEP)).await;

    assert_eq!(
        outcome,
        Outcome::Completed { steps: 0 },
        "zero steps asked, zero steps done"
    );
    assert_eq!(start.elapsed(), Duration::ZERO, "zero steps take no time");
    assert_eq!(
        journal.events(),
        [CleanedUp],
        "zero steps means no step begins, but the cleanup still runs once"
    );
}

/// `work` on its own, never stopped, returns the number of steps it did.
#[tokio::test(start_paused = true)]
async fn work_returns_the_number_of_steps_done() {
    let journal = Journal::new();
    let start = Instant::now();

    let steps = timeout(
        LIMIT,
        work(journal.clone(), 4, STEP, CancellationToken::new()),
    )
    .await
    .expect("work never finished");

    assert_eq!(steps, 4);
    assert_eq!(start.elapsed(), ms(400));
    assert_eq!(journal.events().last(), Some(&CleanedUp));
}

/// A token cancelled before `work` starts means no step at all, but the
/// cleanup still runs: the body started, so its guard exists.
#[tokio::test(start_paused = true)]
async fn work_with_a_stopped_token_does_no_step_but_cleans_up() {
    let journal = Journal::new();
    let stop = CancellationToken::new();
    stop.cancel();
    let start = Instant::now();

    let steps = timeout(LIMIT, work(journal.clone(), 4, STEP, stop))
        .await
        .expect("work never finished");

    assert_eq!(steps, 0);
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(journal.events(), [CleanedUp]);
}
