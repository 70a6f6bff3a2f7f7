//! Kata 31 tests: a CPU-bound job that takes turns with the other tasks on
//! its thread.
//!
//! Every test runs on one thread (tokio's current-thread runtime, as asyncio
//! runs on one), and reads the given `Log`: who did which unit, in which
//! order. `Log::turns` shortens it to stretches, `[("a", 10), ("b", 10), …]`.
//! Some tests poll the job by hand (`tokio_test::task::spawn`): each poll
//! must do exactly one batch and end in a yield. The clock is paused:
//! yielding must cost no time at all.

use std::sync::Arc;
use std::time::Duration;

use cooperative_yield::{Log, crunch, run_job};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_test::task;
use tokio_test::{assert_pending, assert_ready_eq};

/// What `run_job` must return for `units` units.
fn total_of(units: u64) -> u64 {
    (0..units).fold(0, |total: u64, unit| total.wrapping_add(crunch(unit)))
}

/// Spawns `run_job` on the test's runtime.
fn spawn_job(job: &'static str, units: u64, yield_every: u64, log: &Arc<Log>) -> JoinHandle<u64> {
    let log = Arc::clone(log);
    tokio::spawn(async move { run_job(job, units, yield_every, &log).await })
}

/// Awaits a task and re-raises its panic, so that a failed assertion inside a
/// spawned task fails the test.
async fn join<T>(handle: JoinHandle<T>) -> T {
    match handle.await {
        Ok(value) => value,
        Err(err) => std::panic::resume_unwind(err.into_panic()),
    }
}

/// Yielding changes when the work is done, not what is done: every unit once,
/// in order, and the sum of their results.
#[tokio::test(start_paused = true)]
async fn the_job_does_every_unit_once_and_returns_their_sum() {
    let log = Log::new();

    let total = run_job("a", 250, 10, &log).await;

    assert_eq!(total, total_of(250), "the job's result is wrong");
    let expected: Vec<(String, u64)> = (0..250).map(|unit| ("a".to_owned(), unit)).collect();
    assert_eq!(
        log.entries(),
        expected,
        "every unit must be done once, in order, and written down as it is done"
    );
}

/// A progress reporter, woken by every unit the job writes down, gets the
/// thread after every batch: it sees the log grow ten units at a time. (A job
/// that never yields lets it look only once, at the end.)
#[tokio::test(start_paused = true)]
async fn a_progress_reporter_sees_every_batch() {
    let log = Arc::new(Log::new());
    let reporter = {
        let log = Arc::clone(&log);
        tokio::spawn(async move {
            let mut seen: Vec<usize> = Vec::new();
            while seen.last() != Some(&100) {
                log.changed().await;
                let len = log.entries().len();
                if seen.last() != Some(&len) {
                    seen.push(len);
                }
            }
            seen
        })
    };
    let job = spawn_job("job", 100, 10, &log);

    assert_eq!(join(job).await, total_of(100));
    assert_eq!(
        join(reporter).await,
        (1..=10).map(|batch| batch * 10).collect::<Vec<usize>>(),
        "the reporter must get the thread after every batch of ten units, and only then"
    );
}

/// Two jobs spawned on one thread share it: the first does one batch, then
/// the other gets a turn, and both keep taking turns of whole batches until
/// they are done. (Which yielded task tokio resumes first is its own
/// business: the test does not rely on strict alternation.)
#[tokio::test(start_paused = true)]
async fn two_jobs_on_one_thread_take_turns() {
    let log = Arc::new(Log::new());

    let a = spawn_job("a", 30, 10, &log);
    let b = spawn_job("b", 30, 10, &log);
    assert_eq!(join(a).await, total_of(30));
    assert_eq!(join(b).await, total_of(30));

    let turns = log.turns();
    assert_eq!(
        (turns[0].clone(), turns[1].0.as_str()),
        (("a".to_owned(), 10), "b"),
        "a must do one batch of ten units and then let b run (turns: {turns:?})"
    );
    assert!(
        turns.iter().all(|(_, units)| units % 10 == 0),
        "the jobs must take turns of whole batches of ten (turns: {turns:?})"
    );
    for job in ["a", "b"] {
        assert!(
            turns.iter().filter(|(name, _)| name == job).count() >= 2,
            "{job} ran to the end in one go (turns: {turns:?})"
        );
    }
}

/// Yielding costs no time: on the paused clock, the whole job, with its
/// yields, takes zero virtual time. (A sleep is not a yield.)
#[tokio::test(start_paused = true)]
async fn yielding_takes_no_time() {
    let log = Log::new();
    let start = Instant::now();

    run_job("a", 100, 10, &log).await;

    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "the job waited on the clock: give the thread back without sleeping"
    );
}

/// Polls a job by hand once, and says how many units that poll did. A job
/// that returned `Pending` must have asked to be polled again at once: after
/// the runtime has had its turn (no time passing), the job has been woken.
async fn poll_once<F: Future<Output = u64>>(job: &mut task::Spawn<F>, log: &Log) -> usize {
    let before = log.entries().len();
    let poll = job.poll();
    let done = log.entries().len() - before;
    if poll.is_pending() {
        // A yield is answered by the runtime once it has run the other tasks;
        // give it that turn (`yield_now` costs no time on the paused clock).
        tokio::task::yield_now().await;
        assert!(
            job.is_woken(),
            "the job returned Pending without asking to be polled again at once: \
             a yield must wake its own task (a sleep waits for the clock)"
        );
    }
    done
}

/// The job needs one poll per batch: each poll does one batch and ends in a
/// yield; the last batch ends the job, with no yield after it.
#[tokio::test(start_paused = true)]
async fn the_job_needs_one_poll_per_batch() {
    let log = Log::new();
    let mut job = task::spawn(run_job("a", 25, 10, &log));

    assert_eq!(
        poll_once(&mut job, &log).await,
        10,
        "the first poll must do one batch"
    );
    assert_eq!(
        poll_once(&mut job, &log).await,
        10,
        "the second poll must do one batch"
    );
    assert_ready_eq!(
        job.poll(),
        total_of(25),
        "the third poll does the last 5 units and returns"
    );

    let sevens = Log::new();
    let mut job = task::spawn(run_job("b", 20, 7, &sevens));
    assert_eq!(
        poll_once(&mut job, &sevens).await,
        7,
        "batches of 7 when yield_every is 7"
    );
    assert_eq!(
        poll_once(&mut job, &sevens).await,
        7,
        "batches of 7 when yield_every is 7"
    );
    assert_ready_eq!(job.poll(), total_of(20));

    let whole = Log::new();
    let mut job = task::spawn(run_job("c", 20, 10, &whole));
    assert_eq!(poll_once(&mut job, &whole).await, 10);
    assert_ready_eq!(
        job.poll(),
        total_of(20),
        "no yield after the last unit: returning gives the thread back anyway"
    );
}

/// A job shorter than one batch, or empty, runs to the end at its first
/// poll; a `yield_every` of 1 yields after every unit but the last.
#[tokio::test(start_paused = true)]
async fn short_jobs_and_batches_of_one() {
    let log = Log::new();
    assert_ready_eq!(task::spawn(run_job("a", 5, 10, &log)).poll(), total_of(5));
    assert_ready_eq!(task::spawn(run_job("a", 0, 10, &log)).poll(), 0);
    assert_eq!(log.entries().len(), 5, "an empty job writes nothing down");

    let ones = Log::new();
    let mut job = task::spawn(run_job("b", 3, 1, &ones));
    assert_eq!(poll_once(&mut job, &ones).await, 1);
    assert_eq!(poll_once(&mut job, &ones).await, 1);
    assert_ready_eq!(job.poll(), total_of(3));
}

/// Each yield is a point where the job can be cancelled: dropped after two
/// batches, it does no more units.
#[tokio::test(start_paused = true)]
async fn a_job_dropped_between_batches_does_no_more_work() {
    let log = Log::new();
    let mut job = task::spawn(run_job("a", 100, 10, &log));
    assert_pending!(job.poll());
    assert_pending!(job.poll());
    assert_eq!(log.entries().len(), 20);

    drop(job);
    tokio::task::yield_now().await;

    assert_eq!(
        log.entries().len(),
        20,
        "the job was dropped after two batches of ten"
    );
}

/// A `yield_every` of 0 makes no sense, and the panic says which argument
/// is wrong.
#[tokio::test(start_paused = true)]
#[should_panic(expected = "yield_every")]
async fn a_yield_every_of_zero_panics() {
    run_job("a", 10, 0, &Log::new()).await;
}
