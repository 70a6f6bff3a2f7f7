//! Kata 11 tests: `gather` keeps order; `wait` returns done and still-running.
//!
//! The tests run on tokio's paused clock: a task that "takes 300 ms" finishes
//! at exactly 300 ms of virtual time, so the instant `wait` returns tells which
//! condition it waited for, and the instant a pending task finishes later
//! tells whether it kept running meanwhile.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::time::Duration;

use anyhow::anyhow;
use gather_vs_wait::{ReturnWhen, Waited, gather, wait};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Waits `millis`, then returns `value`: a future, not yet started.
async fn after(millis: u64, value: &'static str) -> &'static str {
    sleep(ms(millis)).await;
    value
}

/// Spawns a task that succeeds with its name after `millis`.
fn ok_task(name: &'static str, millis: u64) -> JoinHandle<anyhow::Result<&'static str>> {
    tokio::spawn(async move {
        sleep(ms(millis)).await;
        Ok(name)
    })
}

/// Spawns a task that fails with "<name> failed" after `millis`.
fn failing_task(name: &'static str, millis: u64) -> JoinHandle<anyhow::Result<&'static str>> {
    tokio::spawn(async move {
        sleep(ms(millis)).await;
        Err(anyhow!("{name} failed"))
    })
}

async fn wait_within_limit(
    tasks: Vec<JoinHandle<anyhow::Result<&'static str>>>,
    return_when: ReturnWhen,
    deadline: Option<Duration>,
) -> Waited<&'static str> {
    timeout(LIMIT, wait(tasks, return_when, deadline))
        .await
        .expect("wait never returned")
}

/// The outcomes in `done`, written as "name" or "error: message".
fn outcomes(waited: &Waited<&'static str>) -> Vec<String> {
    waited
        .done
        .iter()
        .map(|outcome| match outcome {
            Ok(name) => (*name).to_owned(),
            Err(error) => format!("error: {error}"),
        })
        .collect()
}

/// Awaits a pending task; its name, or a message saying why there is none.
async fn finish(task: JoinHandle<anyhow::Result<&'static str>>) -> &'static str {
    timeout(LIMIT, task)
        .await
        .expect("a pending task never finished")
        .expect("a pending task was cancelled or panicked: wait must leave it running")
        .expect("the pending task was meant to succeed")
}

/// `gather` returns outputs in the order of its inputs, not of their finishing.
#[tokio::test(start_paused = true)]
async fn gather_keeps_the_order_of_its_inputs() {
    let outputs = timeout(
        LIMIT,
        gather([after(300, "slow"), after(100, "fast"), after(200, "mid")]),
    )
    .await
    .expect("gather never finished");

    assert_eq!(
        outputs,
        ["slow", "fast", "mid"],
        "the outputs came back in the order the futures finished"
    );
}

/// `gather` runs its futures together: as long as the slowest, not the sum.
#[tokio::test(start_paused = true)]
async fn gather_runs_its_futures_concurrently() {
    let start = Instant::now();

    timeout(
        LIMIT,
        gather([after(300, "slow"), after(100, "fast"), after(200, "mid")]),
    )
    .await
    .expect("gather never finished");

    assert_eq!(
        start.elapsed(),
        ms(300),
        "the futures ran one after another instead of together"
    );
}

/// `gather` of nothing is empty, at once.
#[tokio::test(start_paused = true)]
async fn gather_of_nothing_is_empty_at_once() {
    let start = Instant::now();

    let outputs = timeout(LIMIT, gather(Vec::<std::future::Ready<u8>>::new()))
        .await
        .expect("gather never finished");

    assert!(outputs.is_empty());
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// ALL_COMPLETED waits for every task, failures included, and leaves none pending.
#[tokio::test(start_paused = true)]
async fn all_completed_waits_for_every_task() {
    let tasks = vec![ok_task("a", 100), failing_task("b", 200), ok_task("c", 300)];
    let start = Instant::now();

    let waited = wait_within_limit(tasks, ReturnWhen::AllCompleted, None).await;

    assert_eq!(
        start.elapsed(),
        ms(300),
        "ALL_COMPLETED must wait for the last task, even after a failure"
    );
    assert_eq!(outcomes(&waited), ["a", "error: b failed", "c"]);
    assert!(waited.pending.is_empty(), "nothing is left pending");
}

/// `done` lists the outcomes in the order the tasks finished, not the order given.
#[tokio::test(start_paused = true)]
async fn all_completed_lists_done_in_finishing_order() {
    let tasks = vec![ok_task("c", 300), ok_task("a", 100), failing_task("b", 200)];
    let start = Instant::now();

    let waited = wait_within_limit(tasks, ReturnWhen::AllCompleted, None).await;

    assert_eq!(start.elapsed(), ms(300));
    assert_eq!(
        outcomes(&waited),
        ["a", "error: b failed", "c"],
        "done must be in the order the tasks finished, not the order they were given"
    );
    assert!(waited.pending.is_empty(), "nothing is left pending");
}

/// FIRST_COMPLETED returns when the first task finishes, whatever its place in the list.
#[tokio::test(start_paused = true)]
async fn first_completed_returns_when_the_first_task_finishes() {
    let tasks = vec![
        ok_task("slow", 300),
        ok_task("fast", 100),
        ok_task("mid", 200),
    ];
    let start = Instant::now();

    let waited = wait_within_limit(tasks, ReturnWhen::FirstCompleted, None).await;

    assert_eq!(
        start.elapsed(),
        ms(100),
        "FIRST_COMPLETED must return when the fastest task finishes, not the first in the list"
    );
    assert_eq!(outcomes(&waited), ["fast"]);
    assert_eq!(waited.pending.len(), 2, "two tasks are still running");
}

/// The pending tasks were not cancelled: each finishes at its own time, later.
#[tokio::test(start_paused = true)]
async fn pending_tasks_keep_running_after_first_completed() {
    let tasks = vec![
        ok_task("slow", 300),
        ok_task("fast", 100),
        ok_task("mid", 200),
    ];
    let start = Instant::now();

    let mut waited = wait_within_limit(tasks, ReturnWhen::FirstCompleted, None).await;
    assert_eq!(waited.pending.len(), 2, "two tasks are still running");
    let slow = waited.pending.remove(0);
    let mid = waited.pending.remove(0);

    assert_eq!(finish(mid).await, "mid");
    assert_eq!(
        start.elapsed(),
        ms(200),
        "\"mid\" should finish at 200 ms, as started"
    );
    assert_eq!(finish(slow).await, "slow");
    assert_eq!(
        start.elapsed(),
        ms(300),
        "\"slow\" should finish at 300 ms, as started"
    );
}

/// The pending tasks come back in the order they were given.
#[tokio::test(start_paused = true)]
async fn pending_tasks_keep_the_order_they_were_given() {
    let tasks = vec![
        ok_task("d", 400),
        ok_task("a", 100),
        ok_task("c", 300),
        ok_task("b", 200),
    ];

    let waited = wait_within_limit(tasks, ReturnWhen::FirstCompleted, None).await;

    let mut names = Vec::new();
    for task in waited.pending {
        names.push(finish(task).await);
    }
    assert_eq!(names, ["d", "c", "b"], "pending must keep the input order");
}

/// FIRST_COMPLETED puts in `done` every task finished by then, not just one.
#[tokio::test(start_paused = true)]
async fn first_completed_returns_every_task_done_at_that_moment() {
    let tasks = vec![ok_task("slow", 300), ok_task("x", 100), ok_task("y", 100)];
    let start = Instant::now();

    let waited = wait_within_limit(tasks, ReturnWhen::FirstCompleted, None).await;

    assert_eq!(start.elapsed(), ms(100));
    let mut done = outcomes(&waited);
    done.sort();
    assert_eq!(
        done,
        ["x", "y"],
        "\"x\" and \"y\" both finished at 100 ms: both belong in done"
    );
    assert_eq!(waited.pending.len(), 1, "only \"slow\" is still running");
}

/// For FIRST_COMPLETED, a failure is a completion too.
#[tokio::test(start_paused = true)]
async fn first_completed_counts_a_failure_as_completed() {
    let tasks = vec![ok_task("a", 200), failing_task("b", 100)];
    let start = Instant::now();

    let waited = wait_within_limit(tasks, ReturnWhen::FirstCompleted, None).await;

    assert_eq!(start.elapsed(), ms(100));
    assert_eq!(outcomes(&waited), ["error: b failed"]);
    assert_eq!(waited.pending.len(), 1);
}

/// FIRST_EXCEPTION returns at the first failure, with the successes before it.
#[tokio::test(start_paused = true)]
async fn first_exception_returns_at_the_first_failure() {
    let tasks = vec![ok_task("c", 300), failing_task("b", 200), ok_task("a", 100)];
    let start = Instant::now();

    let waited = wait_within_limit(tasks, ReturnWhen::FirstException, None).await;

    assert_eq!(
        start.elapsed(),
        ms(200),
        "FIRST_EXCEPTION must return when a task fails, not when one succeeds"
    );
    assert_eq!(outcomes(&waited), ["a", "error: b failed"]);
    assert_eq!(waited.pending.len(), 1, "\"c\" is still running");
}

/// FIRST_EXCEPTION with no failure at all is the same as ALL_COMPLETED.
#[tokio::test(start_paused = true)]
async fn first_exception_without_failures_waits_for_all() {
    let tasks = vec![ok_task("a", 100), ok_task("b", 200), ok_task("c", 300)];
    let start = Instant::now();

    let waited = wait_within_limit(tasks, ReturnWhen::FirstException, None).await;

    assert_eq!(start.elapsed(), ms(300));
    assert_eq!(outcomes(&waited), ["a", "b", "c"]);
    assert!(waited.pending.is_empty());
}

/// A panicking task is a failure: FIRST_EXCEPTION stops there and reports it.
#[tokio::test(start_paused = true)]
async fn a_panicking_task_counts_as_an_exception() {
    let panicking: JoinHandle<anyhow::Result<&'static str>> = tokio::spawn(async {
        sleep(ms(100)).await;
        panic!("boom");
    });
    let tasks = vec![ok_task("a", 300), panicking];
    let start = Instant::now();

    let waited = wait_within_limit(tasks, ReturnWhen::FirstException, None).await;

    assert_eq!(
        start.elapsed(),
        ms(100),
        "a panic must count as an exception"
    );
    assert_eq!(waited.done.len(), 1);
    let error = waited.done[0]
        .as_ref()
        .expect_err("the panicked task must be an Err in done");
    assert!(
        error.to_string().contains("boom"),
        "the error should carry the panic message, got {error}"
    );
    assert_eq!(waited.pending.len(), 1);
}

/// An aborted task is a failure too: it lands in `done` as an `Err`, not nowhere.
#[tokio::test(start_paused = true)]
async fn an_aborted_task_counts_as_a_failure() {
    let aborted = ok_task("b", 100);
    aborted.abort();
    let tasks = vec![ok_task("a", 300), aborted];
    let start = Instant::now();

    let waited = wait_within_limit(tasks, ReturnWhen::FirstException, None).await;

    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "the aborted task has already failed: FIRST_EXCEPTION must return at once"
    );
    assert_eq!(waited.done.len(), 1, "the aborted task must be in done");
    let error = waited.done[0]
        .as_ref()
        .expect_err("the aborted task must be an Err in done");
    assert!(
        error.to_string().contains("cancelled"),
        "the error should say the task was cancelled, got {error}"
    );
    assert_eq!(waited.pending.len(), 1, "\"a\" is still running");
}

/// A timeout is not an error: `wait` returns what finished and what did not.
#[tokio::test(start_paused = true)]
async fn timeout_returns_what_finished_and_what_did_not() {
    let tasks = vec![ok_task("a", 100), ok_task("b", 200), ok_task("c", 300)];
    let start = Instant::now();

    let mut waited = wait_within_limit(tasks, ReturnWhen::AllCompleted, Some(ms(250))).await;

    assert_eq!(start.elapsed(), ms(250), "wait must return at its timeout");
    assert_eq!(outcomes(&waited), ["a", "b"]);
    assert_eq!(waited.pending.len(), 1, "\"c\" is still running");
    let c = waited.pending.remove(0);
    assert_eq!(finish(c).await, "c");
    assert_eq!(
        start.elapsed(),
        ms(300),
        "the pending task should go on and finish at 300 ms"
    );
}

/// Waiting on no tasks returns at once, with nothing done and nothing pending,
/// whatever `return_when` says.
#[tokio::test(start_paused = true)]
async fn waiting_on_no_tasks_returns_at_once() {
    for return_when in [
        ReturnWhen::FirstCompleted,
        ReturnWhen::FirstException,
        ReturnWhen::AllCompleted,
    ] {
        let start = Instant::now();

        let waited = wait_within_limit(Vec::new(), return_when, None).await;

        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "{return_when:?} on no tasks must return at once: nothing is left to finish"
        );
        assert!(waited.done.is_empty());
        assert!(waited.pending.is_empty());
    }
}

/// A timeout longer than the tasks changes nothing: `wait` returns when they are done.
#[tokio::test(start_paused = true)]
async fn a_timeout_that_is_not_reached_does_not_delay_wait() {
    for return_when in [ReturnWhen::FirstCompleted, ReturnWhen::AllCompleted] {
        let tasks = vec![ok_task("a", 100), ok_task("b", 200)];
        let start = Instant::now();

        let waited = wait_within_limit(tasks, return_when, Some(Duration::from_secs(3600))).await;

        let expected = match return_when {
            ReturnWhen::FirstCompleted => ms(100),
            _ => ms(200),
        };
        assert_eq!(
            start.elapsed(),
            expected,
            "{return_when:?} with a one-hour timeout should return when its condition \
             holds, not sleep out the timeout"
        );
        for task in waited.pending {
            finish(task).await;
        }
    }
}

/// A timeout of zero returns at once, with the tasks that had already finished in `done`.
#[tokio::test(start_paused = true)]
async fn a_zero_timeout_returns_at_once_with_what_has_finished() {
    let tasks = vec![ok_task("a", 100), ok_task("b", 300)];
    sleep(ms(200)).await;
    let start = Instant::now();

    let mut waited = wait_within_limit(tasks, ReturnWhen::AllCompleted, Some(Duration::ZERO)).await;

    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "a zero timeout must not wait"
    );
    assert_eq!(
        outcomes(&waited),
        ["a"],
        "\"a\" had finished before wait was called: it belongs in done, even with no time \
         left (look at the handles before giving up on the deadline)"
    );
    assert_eq!(waited.pending.len(), 1, "\"b\" is still running");
    assert_eq!(finish(waited.pending.remove(0)).await, "b");
    assert_eq!(start.elapsed(), ms(100), "\"b\" should finish at 300 ms");
}

/// `wait` sleeps until a task finishes: it is not polled over and over meanwhile.
#[tokio::test(start_paused = true)]
async fn wait_sleeps_between_completions() {
    let tasks = vec![ok_task("a", 100), ok_task("b", 200), ok_task("c", 300)];
    let mut waiting = pin!(wait(tasks, ReturnWhen::AllCompleted, None));
    let mut polls = 0;

    let waited = timeout(
        LIMIT,
        poll_fn(|cx| {
            polls += 1;
            waiting.as_mut().poll(cx)
        }),
    )
    .await
    .expect("wait never returned");

    assert_eq!(outcomes(&waited), ["a", "b", "c"]);
    assert!(
        polls <= 10,
        "wait was polled {polls} times for three completions: it should sleep until a \
         task finishes (each handle stores the waker), not check again and again"
    );
}
