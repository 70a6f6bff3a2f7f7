//! Kata 36 tests: a bounded pool for blocking jobs, beside tokio's default
//! blocking pool.
//!
//! These tests use *real* time, not tokio's paused clock: the jobs block real
//! OS threads, which the paused clock cannot see. They run on a
//! current-thread runtime, except one that runs callers on four worker
//! threads.
//!
//! The given [`Probe`] makes jobs that count how many of them run at once and
//! wait, while the probe is held, until the test releases them. So "K jobs run
//! at once" is a rendezvous (the test waits until K run), and "never more than
//! K" is a peak the probe measured. The one thing a test cannot prove by a
//! rendezvous is that a job does *not* start: there the test watches for
//! [`GRACE`], several times what starting a thread takes on a loaded machine.

use std::future::Future;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use executor_choice::{BoundedPool, Executor, HOLD_LIMIT, Probe, run_in_executor};
use futures::future::join_all;
use tokio::task::JoinHandle;
use tokio::time::timeout;
use tokio_test::{assert_pending, task};

/// Long enough for any right answer; a hang fails here instead of stalling
/// the run.
const LIMIT: Duration = Duration::from_secs(5);

/// How long a test watches for a job that must not start (or a wake-up that
/// must not come): starting a thread takes well under a millisecond, so a
/// wrong answer shows itself long before this.
const GRACE: Duration = Duration::from_millis(300);

/// How long a job on a free executor may take to run: far more than it
/// takes, far less than [`HOLD_LIMIT`], after which held jobs give up.
const PROMPT: Duration = Duration::from_secs(1);

async fn within_limit<T>(what: &str, work: impl Future<Output = T>) -> T {
    timeout(LIMIT, work)
        .await
        .unwrap_or_else(|_| panic!("{what} never finished"))
}

/// Whether `jobs` jobs of the probe run at the same time within [`GRACE`].
async fn reaches(probe: &Probe, jobs: usize) -> bool {
    timeout(GRACE, probe.until_running(jobs)).await.is_ok()
}

/// Awaits a task and gives back its panic payload's message, if it panicked.
async fn panic_message<T: std::fmt::Debug>(task: JoinHandle<T>) -> Option<String> {
    let error = within_limit("the task", task).await.err()?;
    let payload = error.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
}

/// A held probe, a pool of one slot, and job 0 running in it, held: what
/// several tests start from.
async fn one_slot_taken() -> (
    Arc<Probe>,
    BoundedPool,
    task::Spawn<impl Future<Output = usize>>,
) {
    let probe = Probe::new();
    probe.hold();
    let pool = BoundedPool::new(1);
    let mut first = task::spawn({
        let pool = pool.clone();
        let job = probe.job(0);
        async move { pool.run(job).await }
    });
    assert_pending!(first.poll(), "the job is held");
    within_limit("the first job to start", probe.until_running(1)).await;
    (probe, pool, first)
}

/// A job gives back its value, on either executor.
#[tokio::test]
async fn jobs_return_their_values_on_either_executor() {
    let default = Executor::Default;
    let bounded = Executor::Bounded(BoundedPool::new(2));
    let pool = BoundedPool::new(1);

    let answer = within_limit("a job", run_in_executor(&default, || 6 * 7)).await;
    let text = within_limit("a job", run_in_executor(&bounded, || "ab".repeat(2))).await;
    let sum = within_limit("a job", pool.run(|| 1 + 1)).await;

    assert_eq!(answer, 42);
    assert_eq!(text, "abab");
    assert_eq!(sum, 2);
    assert_eq!(pool.slots(), 1);
    assert_eq!(
        BoundedPool::new(3).slots(),
        3,
        "a pool tells how many slots it has"
    );
}

/// Jobs run on other threads than the async worker, on either executor.
#[tokio::test]
async fn jobs_run_off_the_async_worker() {
    let worker = thread::current().id();
    let bounded = Executor::Bounded(BoundedPool::new(2));

    let on_default = within_limit(
        "a job",
        run_in_executor(&Executor::Default, || thread::current().id()),
    )
    .await;
    let on_bounded = within_limit(
        "a job",
        run_in_executor(&bounded, || thread::current().id()),
    )
    .await;

    assert_ne!(on_default, worker, "a job ran on the async worker thread");
    assert_ne!(on_bounded, worker, "a job ran on the async worker thread");
}

/// The default executor has no limit of ours: 64 jobs that wait for a
/// release all run at the same time, each on a thread of its own.
#[tokio::test]
async fn the_default_executor_runs_every_job_at_once() {
    const JOBS: usize = 64;
    let probe = Probe::new();
    probe.hold();
    let default = Executor::Default;
    let jobs = join_all((0..JOBS).map(|id| run_in_executor(&default, probe.job(id))));
    let watch = async {
        let all_at_once = timeout(LIMIT, probe.until_running(JOBS)).await.is_ok();
        probe.release();
        all_at_once
    };

    let (ids, all_at_once) = within_limit("64 jobs", async { tokio::join!(jobs, watch) }).await;

    assert!(
        all_at_once,
        "the {JOBS} jobs never ran all at once (at most {}): the default executor must not be \
         limited",
        probe.peak()
    );
    assert_eq!(ids, (0..JOBS).collect::<Vec<_>>());
}

/// The heart of the kata: twelve jobs on a pool of three slots, half of them
/// through a clone of the pool. Three run at once (a rendezvous), a fourth
/// never starts while they run, and the peak the jobs measured is three.
#[tokio::test]
async fn the_bounded_pool_never_runs_more_jobs_than_its_slots() {
    const SLOTS: usize = 3;
    const JOBS: usize = 12;
    let probe = Probe::new();
    probe.hold();
    let pool = BoundedPool::new(SLOTS);
    let executors = [
        Executor::Bounded(pool.clone()),
        Executor::Bounded(pool.clone()),
    ];
    let jobs = join_all((0..JOBS).map(|id| run_in_executor(&executors[id % 2], probe.job(id))));
    let watch = async {
        let full = timeout(LIMIT, probe.until_running(SLOTS)).await.is_ok();
        let overflowed = reaches(&probe, SLOTS + 1).await;
        probe.release();
        (full, overflowed)
    };

    let (ids, (full, overflowed)) =
        within_limit("twelve jobs", async { tokio::join!(jobs, watch) }).await;

    assert!(
        full,
        "the pool never ran {SLOTS} jobs at once (at most {}): it must use all its slots",
        probe.peak()
    );
    assert!(
        !overflowed,
        "a fourth job started while three ran on a pool of {SLOTS} slots"
    );
    assert_eq!(
        probe.peak(),
        SLOTS,
        "{} jobs ran at once on a pool of {SLOTS} slots (clones share one limit)",
        probe.peak()
    );
    assert_eq!(ids, (0..JOBS).collect::<Vec<_>>(), "every job's own value");
    assert_eq!(probe.gave_up(), 0);
}

/// A full bounded pool holds up its own queue only: a job on the default
/// executor still runs at once.
#[tokio::test]
async fn a_full_bounded_pool_does_not_hold_up_the_default_executor() {
    let busy = Probe::new();
    busy.hold();
    let pool = Executor::Bounded(BoundedPool::new(2));
    let mut running: Vec<_> = (0..2)
        .map(|id| task::spawn(run_in_executor(&pool, busy.job(id))))
        .collect();
    for job in &mut running {
        assert_pending!(job.poll());
    }
    within_limit("the pool to fill up", busy.until_running(2)).await;

    let free = Probe::new();
    let elsewhere = timeout(PROMPT, run_in_executor(&Executor::Default, free.job(7))).await;

    busy.release();
    for job in running {
        within_limit("a held job", job).await;
    }
    assert_eq!(
        elsewhere,
        Ok(7),
        "a job on the default executor waited for the bounded pool's slots"
    );
}

/// Jobs waiting for a slot start in the order they were submitted, however
/// their callers are polled afterwards: here the latest comer is polled
/// first each time, and still waits for its turn.
#[tokio::test]
async fn waiting_jobs_start_in_the_order_they_were_submitted() {
    let probe = Probe::new();
    probe.hold();
    let pool = BoundedPool::new(1);

    let mut jobs: Vec<_> = (0..6)
        .map(|id| task::spawn(pool.run(probe.job(id))))
        .collect();
    for job in &mut jobs {
        assert_pending!(job.poll());
    }
    within_limit("the first job to start", probe.until_running(1)).await;
    probe.release();
    let ids = within_limit("six jobs", join_all(jobs.into_iter().rev())).await;

    assert_eq!(ids, [5, 4, 3, 2, 1, 0], "every job's own value");
    assert_eq!(
        probe.started(),
        [0, 1, 2, 3, 4, 5],
        "the jobs must start first come, first served, not whoever checks first when a \
         slot frees up"
    );
}

/// A job waiting for a slot costs nothing: its caller is not woken until a
/// slot is free (no checking on a timer, no spinning).
#[tokio::test]
async fn a_job_waiting_for_a_slot_is_not_woken_until_one_is_free() {
    let (probe, pool, first) = one_slot_taken().await;

    let mut waiting = task::spawn(pool.run(probe.job(1)));
    assert_pending!(waiting.poll());
    tokio::time::sleep(GRACE).await;

    let woken_while_full = waiting.is_woken();
    probe.release();
    assert_eq!(within_limit("the first job", first).await, 0);
    assert_eq!(within_limit("the waiting job", waiting).await, 1);
    assert!(
        !woken_while_full,
        "the waiting job was woken while no slot was free: it checks on a timer (or spins) \
         instead of waiting to be woken"
    );
}

/// A caller that gives up while its job waits for a slot takes the job back:
/// the job never runs.
#[tokio::test]
async fn a_job_whose_caller_gave_up_in_the_queue_never_runs() {
    let (probe, pool, first) = one_slot_taken().await;

    let mut abandoned = task::spawn(pool.run(probe.job(1)));
    assert_pending!(abandoned.poll(), "the only slot is taken");
    drop(abandoned);
    probe.release();
    assert_eq!(within_limit("the first job", first).await, 0);
    let last = within_limit("a later job", pool.run(probe.job(2))).await;

    assert_eq!(last, 2);
    assert_eq!(
        probe.started(),
        [0, 2],
        "the abandoned job ran although its caller had gone before it got a slot"
    );
}

/// A caller that gives up while its job runs cannot stop the job, and the
/// job keeps its slot until it ends: the next job waits.
#[tokio::test]
async fn a_running_job_keeps_its_slot_when_its_caller_gives_up() {
    let (probe, pool, first) = one_slot_taken().await;

    drop(first);
    let mut next = task::spawn(pool.run(probe.job(1)));
    let _ = next.poll();
    let overflowed = reaches(&probe, 2).await;
    probe.release();
    let next = within_limit("the next job", next).await;

    assert!(
        !overflowed,
        "the next job started while the first still ran: the slot was freed when the \
         caller gave up, not when the job ended"
    );
    assert_eq!(next, 1);
    assert_eq!(probe.peak(), 1);
    assert_eq!(probe.started(), [0, 1]);
}

/// A job that panics passes its very panic on to its caller, and frees its
/// slot for the next job.
#[tokio::test]
async fn a_panicking_job_passes_its_panic_on_and_frees_its_slot() {
    let pool = BoundedPool::new(1);

    let on_pool = panic_message(tokio::spawn({
        let pool = pool.clone();
        async move { pool.run(|| -> usize { panic!("disk on fire") }).await }
    }))
    .await;
    let on_default = panic_message(tokio::spawn(async {
        run_in_executor(&Executor::Default, || -> usize { panic!("out of paper") }).await
    }))
    .await;
    let next = timeout(PROMPT, pool.run(|| 5)).await;

    assert_eq!(
        on_pool.as_deref(),
        Some("disk on fire"),
        "the caller must panic with the job's own payload"
    );
    assert_eq!(on_default.as_deref(), Some("out of paper"));
    assert_eq!(
        next,
        Ok(5),
        "the next job never got the slot: the panicking job kept it"
    );
}

/// Callers on four worker threads, all arriving at once, still never run
/// more jobs than the pool's two slots.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_limit_holds_for_callers_on_many_threads() {
    const SLOTS: usize = 2;
    const CALLERS: usize = 8;
    let probe = Probe::new();
    probe.hold();
    let pool = BoundedPool::new(SLOTS);
    let start = Arc::new(tokio::sync::Barrier::new(CALLERS));
    let callers: Vec<JoinHandle<usize>> = (0..CALLERS)
        .map(|id| {
            let (pool, probe, start) = (pool.clone(), probe.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                pool.run(probe.job(id)).await
            })
        })
        .collect();

    let full = timeout(LIMIT, probe.until_running(SLOTS)).await.is_ok();
    let overflowed = reaches(&probe, SLOTS + 1).await;
    probe.release();
    let mut ids = Vec::new();
    for caller in callers {
        ids.push(
            within_limit("a caller", caller)
                .await
                .expect("no caller panics"),
        );
    }

    assert!(full, "the pool never ran {SLOTS} jobs at once");
    assert!(!overflowed, "more than {SLOTS} jobs ran at once");
    assert_eq!(probe.peak(), SLOTS, "{} jobs ran at once", probe.peak());
    ids.sort_unstable();
    assert_eq!(ids, (0..CALLERS).collect::<Vec<_>>());
    assert!(HOLD_LIMIT > GRACE + PROMPT, "the test's own margins");
}

/// A pool of no slots could never run a job: it is refused at once.
#[test]
#[should_panic(expected = "at least one slot")]
fn a_pool_needs_at_least_one_slot() {
    let _ = BoundedPool::new(0);
}
