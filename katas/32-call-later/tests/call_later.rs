//! Kata 32 tests: a scheduler of cancellable delayed callbacks.
//!
//! Callbacks write down their name and the virtual time at which they ran.
//! On the paused clock a timer set for 300 ms runs at exactly 300 ms, and a
//! day-long timer costs no real time; drop guards captured by a callback show
//! when the callback itself is dropped. The two tests whose callbacks call
//! back into the scheduler run on a thread of their own, so that a scheduler
//! that deadlocks fails them instead of hanging the run.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use call_later::{Scheduler, TimerHandle};
use tokio::time::{Instant, sleep, sleep_until};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// What the callbacks did: `(name, virtual time since the test began)`.
#[derive(Clone)]
struct Record {
    start: Instant,
    entries: Arc<Mutex<Vec<(String, Duration)>>>,
}

impl Record {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            entries: Arc::default(),
        }
    }

    /// A callback that writes down `name` and the time it ran.
    fn note(&self, name: impl Into<String>) -> impl FnOnce() + Send + 'static {
        let (record, name) = (self.clone(), name.into());
        move || {
            let at = record.start.elapsed();
            record.entries.lock().unwrap().push((name, at));
        }
    }

    fn entries(&self) -> Vec<(String, Duration)> {
        self.entries.lock().unwrap().clone()
    }

    fn names(&self) -> Vec<String> {
        self.entries().into_iter().map(|(name, _)| name).collect()
    }
}

/// Sets its flag when dropped: captured by a callback, it shows when the
/// callback itself is dropped.
struct DropGuard(Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn drop_guard() -> (DropGuard, Arc<AtomicBool>) {
    let dropped = Arc::new(AtomicBool::new(false));
    (DropGuard(Arc::clone(&dropped)), dropped)
}

/// Runs `test` on a thread of its own, on a current-thread runtime with the
/// clock paused, and re-raises its panic. A scheduler that deadlocks (a
/// callback calls back into it while it holds its own lock) fails the test
/// after 5 s of real time instead of hanging the whole run.
fn on_a_thread_of_its_own<F, Fut>(test: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let (done, finished) = mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime for the test")
            .block_on(test());
        let _ = done.send(());
    });
    match finished.recv_timeout(Duration::from_secs(5)) {
        Ok(()) => {}
        // The test panicked: its sender is gone. Re-raise its panic.
        Err(mpsc::RecvTimeoutError::Disconnected) => match thread.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the test thread ended without a word"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "deadlock: a callback that calls back into the scheduler found its lock held \
             (run each callback after releasing the lock)"
        ),
    }
}

fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

/// Each callback runs once, at its deadline, earliest first, whatever order
/// the timers were set in, also when an earlier timer is set while the
/// scheduler is already waiting for a later one; a day-long timer runs after
/// exactly a day.
#[tokio::test(start_paused = true)]
async fn callbacks_run_at_their_deadlines() {
    let scheduler = Scheduler::new();
    let record = Record::new();

    scheduler.call_later(ms(300), record.note("c"));
    let day = Duration::from_secs(24 * 3600);
    scheduler.call_later(day, record.note("tomorrow"));
    // The scheduler is now asleep until 300 ms; these two come earlier.
    sleep(ms(10)).await;
    scheduler.call_later(ms(90), record.note("a"));
    scheduler.call_later(ms(190), record.note("b"));
    sleep(day + ms(1)).await;

    assert_eq!(
        record.entries(),
        [
            ("a".to_owned(), ms(100)),
            ("b".to_owned(), ms(200)),
            ("c".to_owned(), ms(300)),
            ("tomorrow".to_owned(), day)
        ],
        "each callback must run once, exactly at its deadline (a timer set while the \
         scheduler waits for a later one must wake it)"
    );
}

/// A scheduler with nothing to do wakes for the first timer it is given, and
/// one earlier timer alone (no other call to help) wakes a scheduler asleep
/// until a later one.
#[tokio::test(start_paused = true)]
async fn a_new_first_timer_wakes_an_idle_or_sleeping_scheduler() {
    let scheduler = Scheduler::new();
    let record = Record::new();

    sleep(ms(10)).await; // nothing to do: the scheduler waits for a timer
    scheduler.call_later(ms(100), record.note("first"));
    sleep(ms(200)).await;
    scheduler.call_later(ms(500), record.note("late")); // asleep until 710 ms
    sleep(ms(10)).await;
    scheduler.call_later(ms(100), record.note("early")); // due at 320 ms
    sleep(ms(1000)).await;

    assert_eq!(
        record.entries(),
        [
            ("first".to_owned(), ms(110)),
            ("early".to_owned(), ms(320)),
            ("late".to_owned(), ms(710)),
        ],
        "a timer that becomes the first one must wake the scheduler, whether it was \
         waiting for any timer at all or asleep until a later one"
    );
}

/// `call_at` takes an instant; the handle knows it.
#[tokio::test(start_paused = true)]
async fn call_at_runs_at_the_instant_given() {
    let scheduler = Scheduler::new();
    let record = Record::new();
    let at = record.start + ms(250);

    let handle = scheduler.call_at(at, record.note("a"));
    let later = scheduler.call_later(ms(400), record.note("b"));
    sleep(ms(500)).await;

    assert_eq!(handle.when(), at);
    assert_eq!(later.when(), record.start + ms(400));
    assert_eq!(
        record.entries(),
        [("a".to_owned(), ms(250)), ("b".to_owned(), ms(400))]
    );
}

/// Timers due at the same instant run in the order they were set, also
/// when they were set at different times (where a timer wheel, and asyncio's
/// heap, give no such promise).
#[tokio::test(start_paused = true)]
async fn equal_deadlines_run_in_the_order_they_were_set() {
    let scheduler = Scheduler::new();
    let record = Record::new();
    let due = record.start + ms(5000);

    // Set 5 s, 3 s, 1 s, 100 ms, 10 ms and 1 ms ahead of the deadline: far
    // and near timers sit at different levels of a timer wheel (a plain
    // `DelayQueue` gave these back in exactly the reverse order).
    let mut expected = Vec::new();
    for (round, set_at) in [0, 2000, 4000, 4900, 4990, 4999].into_iter().enumerate() {
        sleep_until(record.start + ms(set_at)).await;
        for i in 0..4 {
            let name = format!("{round}.{i}");
            if i % 2 == 0 {
                scheduler.call_at(due, record.note(&name));
            } else {
                scheduler.call_later(due - Instant::now(), record.note(&name));
            }
            expected.push(name);
        }
    }
    sleep(ms(1000)).await;

    assert_eq!(
        record.names(),
        expected,
        "timers for one instant must run first set, first run"
    );
    assert!(
        record.entries().iter().all(|(_, at)| *at == ms(5000)),
        "all of them are due at 5 s"
    );
}

/// A cancelled timer never runs; cancelling says whether it stopped the
/// timer, and a second cancel stops nothing.
#[tokio::test(start_paused = true)]
async fn a_cancelled_timer_never_runs() {
    let scheduler = Scheduler::new();
    let record = Record::new();
    scheduler.call_later(ms(100), record.note("kept"));
    let doomed = scheduler.call_later(ms(200), record.note("doomed"));
    assert_eq!(scheduler.pending(), 2);

    assert!(
        doomed.cancel(),
        "the timer had not run: cancel must stop it"
    );
    assert!(!doomed.cancel(), "a second cancel stops nothing");
    assert_eq!(
        scheduler.pending(),
        1,
        "a cancelled timer is no longer pending"
    );
    sleep(ms(1000)).await;

    assert_eq!(record.names(), ["kept"], "the cancelled callback ran");
    assert_eq!(scheduler.pending(), 0);
}

/// Cancelling a timer whose callback has already run stops nothing.
#[tokio::test(start_paused = true)]
async fn cancel_after_the_callback_ran_returns_false() {
    let scheduler = Scheduler::new();
    let record = Record::new();
    let handle = scheduler.call_later(ms(100), record.note("a"));
    sleep(ms(200)).await;

    assert_eq!(record.names(), ["a"]);
    assert!(
        !handle.cancel(),
        "the callback has already run: cancel must say it stopped nothing"
    );
}

/// A cancelled callback is dropped at once, with what it captured: not at
/// its deadline, an hour later.
#[tokio::test(start_paused = true)]
async fn cancelling_drops_the_callback_at_once() {
    let scheduler = Scheduler::new();
    let (guard, dropped) = drop_guard();
    let handle = scheduler.call_later(Duration::from_secs(3600), move || drop(guard));

    assert!(handle.cancel());

    assert!(
        dropped.load(Ordering::SeqCst),
        "the cancelled callback (and what it captured) must be dropped by cancel"
    );
}

/// Dropping a handle does not cancel its timer (as in Python).
#[tokio::test(start_paused = true)]
async fn dropping_a_handle_does_not_cancel_the_timer() {
    let scheduler = Scheduler::new();
    let record = Record::new();

    {
        let _handle = scheduler.call_later(ms(100), record.note("a"));
    } // the handle is dropped here
    sleep(ms(200)).await;

    assert_eq!(
        record.names(),
        ["a"],
        "dropping the handle cancelled the timer"
    );
}

/// A callback may cancel a timer due at the same instant as itself: the
/// other timer, later in line, does not run. (On a thread of its own: a
/// scheduler that runs callbacks with its lock held deadlocks here.)
#[test]
fn a_callback_can_cancel_a_timer_due_at_the_same_instant() {
    on_a_thread_of_its_own(|| async {
        let scheduler = Scheduler::new();
        let record = Record::new();
        let victim: Arc<Mutex<Option<TimerHandle>>> = Arc::default();
        let cancelled = Arc::new(AtomicBool::new(false));
        {
            let (victim, cancelled, note) = (
                Arc::clone(&victim),
                Arc::clone(&cancelled),
                record.note("first"),
            );
            scheduler.call_later(ms(100), move || {
                note();
                let handle = victim.lock().unwrap().take().unwrap();
                cancelled.store(handle.cancel(), Ordering::SeqCst);
            });
        }
        *victim.lock().unwrap() = Some(scheduler.call_later(ms(100), record.note("second")));
        sleep(ms(200)).await;

        assert_eq!(
            record.names(),
            ["first"],
            "the second timer was cancelled by the first callback, before its turn came"
        );
        assert!(
            cancelled.load(Ordering::SeqCst),
            "cancel said it stopped nothing"
        );
    });
}

/// A callback may set new timers, including one for right now: it runs
/// after the callback, at the same instant, never inside it. (On a thread of
/// its own, like the test above.)
#[test]
fn a_callback_can_set_new_timers() {
    on_a_thread_of_its_own(|| async {
        let scheduler = Arc::new(Scheduler::new());
        let record = Record::new();
        {
            let (inner, record) = (Arc::clone(&scheduler), record.clone());
            scheduler.call_later(ms(100), move || {
                inner.call_later(Duration::ZERO, record.note("now"));
                inner.call_later(ms(50), record.note("later"));
                // Written down inside the callback: "now" must come after.
                record.note("outer")();
            });
        }
        sleep(ms(300)).await;

        assert_eq!(
            record.entries(),
            [
                ("outer".to_owned(), ms(100)),
                ("now".to_owned(), ms(100)),
                ("later".to_owned(), ms(150))
            ]
        );
    });
}

/// A deadline already past, or a zero delay, means "as soon as possible":
/// no time passes, but the callback never runs inside the call that set it.
#[tokio::test(start_paused = true)]
async fn past_deadlines_and_zero_delays_run_at_once_but_not_inline() {
    let scheduler = Scheduler::new();
    let record = Record::new();
    sleep(ms(500)).await;

    scheduler.call_at(record.start, record.note("past"));
    scheduler.call_later(Duration::ZERO, record.note("zero"));
    assert!(
        record.entries().is_empty(),
        "a callback ran inside call_at or call_later"
    );
    sleep(ms(1)).await;

    assert_eq!(
        record.entries(),
        [("past".to_owned(), ms(500)), ("zero".to_owned(), ms(500))],
        "both were due at once: they must run right away, in the order set"
    );
}

/// A callback that panics does not take the scheduler down: the next timers
/// still run (asyncio logs the exception and goes on).
#[tokio::test(start_paused = true)]
async fn a_panicking_callback_does_not_stop_the_scheduler() {
    let scheduler = Scheduler::new();
    let record = Record::new();

    scheduler.call_later(ms(100), || {
        // `resume_unwind` rather than `panic!`: the same unwinding, without
        // the panic hook's message and backtrace (which cost real time).
        std::panic::resume_unwind(Box::new("a callback failed on purpose"))
    });
    scheduler.call_later(ms(100), record.note("same instant"));
    scheduler.call_later(ms(200), record.note("later"));
    sleep(ms(300)).await;

    assert_eq!(
        record.names(),
        ["same instant", "later"],
        "the timers after a panicking callback must still run"
    );
}

/// Dropping the scheduler cancels what is pending: the callbacks are
/// dropped at once and never run, its task ends, and the handles can no
/// longer cancel anything.
#[tokio::test(start_paused = true)]
async fn dropping_the_scheduler_cancels_its_timers_and_ends_its_task() {
    let before = alive_tasks();
    let scheduler = Scheduler::new();
    let record = Record::new();
    let (guard, dropped) = drop_guard();
    let handle = scheduler.call_later(ms(100), move || drop(guard));
    scheduler.call_later(ms(200), record.note("a"));
    tokio::task::yield_now().await;
    assert_eq!(alive_tasks(), before + 1, "the scheduler runs one task");

    drop(scheduler);

    assert!(
        dropped.load(Ordering::SeqCst),
        "a pending callback must be dropped when the scheduler is"
    );
    sleep(ms(500)).await;
    assert!(
        record.entries().is_empty(),
        "a timer ran after its scheduler was dropped"
    );
    assert_eq!(alive_tasks(), before, "the scheduler's task outlived it");
    assert!(!handle.cancel(), "there is nothing left to cancel");
}

/// Ten thousand timers, many sharing a deadline, a third of them cancelled:
/// one task runs them all, each at its deadline, ties first set first run,
/// and no cancelled one runs.
#[tokio::test(start_paused = true)]
async fn ten_thousand_timers_need_one_task() {
    let before = alive_tasks();
    let scheduler = Scheduler::new();
    let start = Instant::now();
    let ran: Arc<Mutex<Vec<(usize, Duration)>>> = Arc::default();

    // Deadlines spread over a second, about ten timers per millisecond.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut delays = Vec::new();
    let mut handles = Vec::new();
    for i in 0..10_000 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = ms((seed >> 33) % 1000);
        let ran = Arc::clone(&ran);
        handles.push(scheduler.call_later(delay, move || {
            ran.lock().unwrap().push((i, start.elapsed()));
        }));
        delays.push(delay);
    }
    let cancelled: Vec<bool> = handles
        .iter()
        .enumerate()
        .map(|(i, handle)| i % 3 == 0 && handle.cancel())
        .collect();
    assert_eq!(
        scheduler.pending(),
        10_000 - cancelled.iter().filter(|c| **c).count()
    );
    tokio::task::yield_now().await;
    assert_eq!(
        alive_tasks(),
        before + 1,
        "ten thousand timers must not cost ten thousand tasks"
    );

    sleep(ms(1500)).await;

    let mut expected: Vec<(usize, Duration)> = (0..10_000)
        .filter(|&i| !cancelled[i])
        .map(|i| (i, delays[i]))
        .collect();
    expected.sort_by_key(|&(i, delay)| (delay, i));
    let ran = ran.lock().unwrap().clone();
    assert_eq!(
        ran.len(),
        expected.len(),
        "every timer not cancelled must run once, and no cancelled one"
    );
    assert!(
        ran == expected,
        "the timers ran out of order or at the wrong time (deadline first, then the order set)"
    );
    assert_eq!(scheduler.pending(), 0);
}

/// On a 4-thread runtime, timers are set and cancelled from many tasks while
/// the scheduler runs them: each timer either runs once or is cancelled
/// (cancel returning true), never both, never neither.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_timer_runs_or_is_cancelled_never_both() {
    let scheduler = Arc::new(Scheduler::new());
    let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..800).map(|_| AtomicUsize::new(0)).collect());
    let barrier = Arc::new(tokio::sync::Barrier::new(4));
    let setters: Vec<_> = (0..4)
        .map(|t| {
            let (scheduler, runs, barrier) = (
                Arc::clone(&scheduler),
                Arc::clone(&runs),
                Arc::clone(&barrier),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                let mut cancelled = Vec::new();
                for i in t * 200..(t + 1) * 200 {
                    let runs = Arc::clone(&runs);
                    // Real time on this runtime: 0 to 2 ms.
                    let handle = scheduler.call_later(ms(i as u64 % 3), move || {
                        runs[i].fetch_add(1, Ordering::SeqCst);
                    });
                    if i % 2 == 0 {
                        tokio::task::yield_now().await;
                    }
                    cancelled.push((i, handle.cancel()));
                }
                cancelled
            })
        })
        .collect();

    let mut cancelled = Vec::new();
    for setter in setters {
        cancelled.extend(setter.await.expect("a setter panicked"));
    }
    // Every deadline is past: give the scheduler (real) time to finish.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while scheduler.pending() > 0 && std::time::Instant::now() < deadline {
        sleep(ms(5)).await;
    }
    sleep(ms(20)).await;

    assert_eq!(scheduler.pending(), 0, "timers were left behind");
    for (i, was_cancelled) in cancelled {
        let ran = runs[i].load(Ordering::SeqCst);
        assert!(ran <= 1, "timer {i} ran {ran} times");
        assert!(
            (ran == 1) != was_cancelled,
            "timer {i}: ran {ran} time(s), and cancel returned {was_cancelled}"
        );
    }
}
