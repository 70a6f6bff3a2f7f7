//! Kata 30 tests: a condition variable that re-checks its predicate and loses
//! no wake-up.
//!
//! Most tests drive waiters by hand with `tokio_test::task::spawn`: poll a
//! waiter once (it checks and sleeps), change the state and notify, then ask
//! which waiters were woken and which are done. Three tests use the given
//! probe, which runs right after a lock is released, to change the state or
//! notify in the instant between a waiter's check and its sleep.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use condition::{Condition, after_next_unlock};
use tokio::task::JoinHandle;
use tokio::time::{advance, timeout};
use tokio_test::task;
use tokio_test::{assert_pending, assert_ready, assert_ready_eq};

/// An hour of virtual time: "a long time" for a waiter that should not wake.
const AN_HOUR: Duration = Duration::from_secs(3600);

/// A queue of jobs that workers wait for.
type Jobs = Condition<VecDeque<u32>>;

/// A worker's step: wait for a job, take it.
async fn take(jobs: &Jobs) -> u32 {
    let mut queue = jobs.wait_until(|queue| !queue.is_empty()).await;
    queue
        .pop_front()
        .expect("wait_until returned although its predicate does not hold: check it again after every wake-up")
}

/// Adds a job (without notifying anyone).
fn push(jobs: &Jobs, job: u32) {
    jobs.lock().push_back(job);
}

/// `n` workers waiting for a job: each polled once, each still pending.
fn waiting_workers(jobs: &Jobs, n: usize) -> Vec<task::Spawn<impl Future<Output = u32> + '_>> {
    let mut workers: Vec<_> = (0..n).map(|_| task::spawn(take(jobs))).collect();
    for worker in &mut workers {
        assert_pending!(worker.poll(), "a worker took a job although there is none");
    }
    workers
}

/// Whether a waiter polled once (`ready_at_once` says how that went) is
/// released: ready then, or woken since and ready now.
fn released<F: Future>(ready_at_once: bool, waiter: &mut task::Spawn<F>) -> bool {
    ready_at_once || (waiter.is_woken() && waiter.poll().is_ready())
}

/// Awaits a task and re-raises its panic, so that a failed assertion inside a
/// spawned task fails the test.
async fn join<T>(handle: JoinHandle<T>) -> T {
    match handle.await {
        Ok(value) => value,
        Err(err) => std::panic::resume_unwind(err.into_panic()),
    }
}

/// A predicate that holds already: no waiting at all.
#[tokio::test(start_paused = true)]
async fn wait_until_returns_at_once_when_the_predicate_holds() {
    let jobs = Jobs::new(VecDeque::from([7]));

    let mut worker = task::spawn(take(&jobs));

    assert_ready_eq!(worker.poll(), 7, "the job was there: take it at once");
}

/// A waiter sleeps: an hour passes without it being woken, and a change
/// nobody notifies about does not wake it either. A notification does.
#[tokio::test(start_paused = true)]
async fn a_waiter_sleeps_until_notified() {
    let jobs = Jobs::new(VecDeque::new());
    let mut worker = task::spawn(take(&jobs));
    assert_pending!(worker.poll());

    advance(AN_HOUR).await;
    push(&jobs, 1);
    assert!(
        !worker.is_woken(),
        "the waiter woke up without a notification: it polls instead of sleeping"
    );

    jobs.notify_one();
    assert!(worker.is_woken(), "notify_one did not wake the waiter");
    assert_ready_eq!(worker.poll(), 1);
}

/// A wake-up is not an answer: the waiter checks its predicate after every
/// notification, and sleeps again until it holds.
#[tokio::test(start_paused = true)]
async fn the_predicate_is_checked_again_after_every_wake_up() {
    let counter = Condition::new(0u32);
    let mut waiter = task::spawn(async {
        let count = counter.wait_until(|count| *count >= 3).await;
        *count
    });
    assert_pending!(waiter.poll());

    for count in 1..=2 {
        *counter.lock() = count;
        counter.notify_all();
        assert!(waiter.is_woken(), "notify_all did not wake the waiter");
        assert_pending!(
            waiter.poll(),
            "the count is {count}, not 3: the waiter must check again and go back to sleep"
        );
    }
    *counter.lock() = 3;
    counter.notify_all();
    assert_ready_eq!(waiter.poll(), 3);
}

/// Three workers wait; one job arrives with `notify_all`: all three wake,
/// one takes the job, and the other two find nothing and wait again.
#[tokio::test(start_paused = true)]
async fn woken_waiters_that_find_nothing_wait_again() {
    let jobs = Jobs::new(VecDeque::new());
    let mut workers = waiting_workers(&jobs, 3);

    push(&jobs, 1);
    jobs.notify_all();

    assert!(workers.iter().all(|worker| worker.is_woken()));
    assert_ready_eq!(workers[0].poll(), 1);
    assert_pending!(
        workers[1].poll(),
        "the job is gone: this worker must wait again"
    );
    assert_pending!(
        workers[2].poll(),
        "the job is gone: this worker must wait again"
    );

    push(&jobs, 2);
    jobs.notify_all();
    assert_ready_eq!(workers[1].poll(), 2);
    assert_pending!(workers[2].poll());
}

/// `notify_all` releases every waiter whose predicate now holds, whatever
/// each one waits for.
#[tokio::test(start_paused = true)]
async fn notify_all_releases_every_waiter_whose_predicate_holds() {
    let counter = Condition::new(0u32);
    let mut waiters: Vec<_> = (1..=100)
        .map(|at_least| {
            let counter = &counter;
            task::spawn(async move {
                let count = counter.wait_until(|count| *count >= at_least).await;
                *count
            })
        })
        .collect();
    for waiter in &mut waiters {
        assert_pending!(waiter.poll());
    }

    *counter.lock() = 100;
    counter.notify_all();

    for (i, waiter) in waiters.iter_mut().enumerate() {
        assert!(
            waiter.is_woken(),
            "notify_all did not wake waiter {i}: it must wake every waiter"
        );
        assert_ready_eq!(waiter.poll(), 100);
    }
}

/// `notify_one` wakes exactly one waiter, the one that has waited longest.
#[tokio::test(start_paused = true)]
async fn notify_one_wakes_the_longest_waiting_only() {
    let jobs = Jobs::new(VecDeque::new());
    let mut workers = waiting_workers(&jobs, 3);

    push(&jobs, 1);
    jobs.notify_one();

    let woken: Vec<bool> = workers.iter().map(|worker| worker.is_woken()).collect();
    assert_eq!(
        woken,
        [true, false, false],
        "notify_one must wake one waiter, the first in line (and not all of them)"
    );
    assert_ready_eq!(workers[0].poll(), 1);
}

/// Notifying while holding the guard, as Python requires, works here too:
/// `notify_one` and `notify_all` do not take the lock.
#[tokio::test(start_paused = true)]
async fn notifying_while_holding_the_lock_works() {
    let jobs = Jobs::new(VecDeque::new());
    let mut worker = task::spawn(take(&jobs));
    assert_pending!(worker.poll());

    {
        let mut queue = jobs.lock();
        queue.push_back(5);
        jobs.notify_one();
        jobs.notify_all();
    }

    assert_ready_eq!(worker.poll(), 5);
}

/// The guard `wait_until` returns is the one the predicate was checked
/// under: nobody can take the job between the check and the caller.
#[tokio::test(start_paused = true)]
async fn the_returned_guard_still_holds_what_the_predicate_saw() {
    let jobs = Rc::new(Jobs::new(VecDeque::from([7])));
    {
        // A thief that grabs every job the first time the lock is free.
        let jobs = Rc::clone(&jobs);
        after_next_unlock(move || jobs.lock().clear());
    }

    let mut worker = task::spawn(take(&jobs));

    assert_ready_eq!(
        worker.poll(),
        7,
        "wait_until let go of the lock between the check and returning"
    );
}

/// The lost wake-up, made to happen: right after a waiter has checked (no
/// job) and released the lock, before it sleeps, a job arrives with
/// `notify_all`. The waiter must still get it.
#[tokio::test(start_paused = true)]
async fn a_notify_all_right_after_the_check_is_not_lost() {
    let jobs = Rc::new(Jobs::new(VecDeque::new()));
    {
        let jobs = Rc::clone(&jobs);
        after_next_unlock(move || {
            push(&jobs, 1);
            jobs.notify_all();
        });
    }

    let mut worker = task::spawn(take(&jobs));
    let ready_at_once = worker.poll().is_ready();

    assert!(
        released(ready_at_once, &mut worker),
        "lost wake-up: notify_all came right after the check, and the waiter slept through it \
         (register with the Notify before you check)"
    );
}

/// Two waiters each between their check and their sleep, and two jobs with
/// a `notify_one` each: both waiters must be released. (`notify_one` only
/// picks waiters in the Notify's queue; with nobody there it keeps a single
/// permit, which releases one of the two.)
#[tokio::test(start_paused = true)]
async fn two_notify_ones_right_after_two_checks_release_two_waiters() {
    let jobs = Rc::new(Jobs::new(VecDeque::new()));
    let worker = || {
        let jobs = Rc::clone(&jobs);
        task::spawn(async move { take(&jobs).await })
    };
    let (mut first, second) = (worker(), Rc::new(RefCell::new(worker())));
    let second_ready_at_once = Rc::new(Cell::new(false));
    {
        let (jobs, second) = (Rc::clone(&jobs), Rc::clone(&second));
        let second_ready_at_once = Rc::clone(&second_ready_at_once);
        // Right after the first worker's check, the second one checks; right
        // after its check, two jobs arrive, with a notify_one each.
        after_next_unlock(move || {
            after_next_unlock(move || {
                for job in [1, 2] {
                    push(&jobs, job);
                    jobs.notify_one();
                }
            });
            second_ready_at_once.set(second.borrow_mut().poll().is_ready());
        });
    }

    let first_ready_at_once = first.poll().is_ready();

    assert!(
        released(first_ready_at_once, &mut first)
            && released(second_ready_at_once.get(), &mut second.borrow_mut()),
        "a worker slept through its notify_one: put each waiter in the Notify's queue \
         (Notified::enable) before it checks, not only when it starts to sleep"
    );
}

/// A waiter picked by `notify_one` and then cancelled (dropped) before it
/// runs passes the notification on: the next waiter gets the job. (Python
/// 3.11 loses it; 3.13 passes it on too.)
#[tokio::test(start_paused = true)]
async fn a_notified_waiter_that_is_dropped_passes_the_notification_on() {
    let jobs = Jobs::new(VecDeque::new());
    let mut first = task::spawn(take(&jobs));
    let mut second = task::spawn(take(&jobs));
    assert_pending!(first.poll());
    assert_pending!(second.poll());

    push(&jobs, 1);
    jobs.notify_one();
    assert!(first.is_woken());
    drop(first);

    assert!(
        second.is_woken(),
        "the notification died with the dropped waiter: the job waits with nobody awake to take it"
    );
    assert_ready_eq!(second.poll(), 1);
}

/// A `notify_one` with nobody waiting releases nobody later: a waiter that
/// comes afterwards and finds nothing still waits.
#[tokio::test(start_paused = true)]
async fn a_notify_with_nobody_waiting_releases_no_one_later() {
    let jobs = Jobs::new(VecDeque::new());
    jobs.notify_one();
    jobs.notify_all();

    let mut worker = task::spawn(take(&jobs));
    assert_pending!(
        worker.poll(),
        "a notification sent before anyone waited released a waiter with nothing to take"
    );

    push(&jobs, 4);
    jobs.notify_one();
    assert_ready!(worker.poll());
}

/// On a 4-thread runtime, four producers and eight workers share one queue:
/// every job is taken exactly once, and no worker sleeps through a job.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn producers_and_workers_on_many_threads_lose_no_job() {
    let jobs = Arc::new(Jobs::new(VecDeque::new()));
    let workers: Vec<JoinHandle<Vec<u32>>> = (0..8)
        .map(|_| {
            let jobs = Arc::clone(&jobs);
            tokio::spawn(async move {
                let mut taken = Vec::new();
                for _ in 0..250 {
                    taken.push(take(&jobs).await);
                }
                taken
            })
        })
        .collect();
    let producers: Vec<JoinHandle<()>> = (0..4u32)
        .map(|p| {
            let jobs = Arc::clone(&jobs);
            tokio::spawn(async move {
                for i in 0..500 {
                    push(&jobs, p * 500 + i);
                    jobs.notify_one();
                    if i % 50 == 0 {
                        tokio::task::yield_now().await;
                    }
                }
            })
        })
        .collect();

    let mut taken = Vec::new();
    // Real time on this runtime: only a wrong answer waits this long.
    let all = async {
        for producer in producers {
            join(producer).await;
        }
        for worker in workers {
            taken.extend(join(worker).await);
        }
    };
    timeout(Duration::from_secs(5), all)
        .await
        .expect("a worker slept through a job: a wake-up was lost");

    taken.sort_unstable();
    assert_eq!(
        taken,
        (0..2000).collect::<Vec<u32>>(),
        "a job was lost or taken twice"
    );
}
