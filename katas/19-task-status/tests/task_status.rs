//! Kata 19 tests: a task handle that reports each state right and runs every
//! done callback exactly once.
//!
//! The tests run on tokio's paused clock: the clock jumps to the next timer
//! whenever every task waits, so "the callback ran at 1 s" is an exact claim.
//! A cancelled task proves it stopped through a drop guard that records into
//! shared state. The panicking task prints its message to the test's output;
//! that is the default panic hook doing its job, not a failing test.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use task_status::{Outcome, Status, Task};
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

async fn wait_within_limit<T: Clone + Send + 'static>(task: &Task<T>) -> Outcome<T> {
    timeout(LIMIT, task.wait())
        .await
        .expect("Task::wait never returned: was the outcome recorded and the waiter told?")
}

/// A task that sleeps `seconds`, then returns `value`.
fn returns_after(seconds: u64, value: u32) -> Task<u32> {
    Task::spawn(async move {
        sleep(secs(seconds)).await;
        Ok(value)
    })
}

/// Sets its flag when dropped: proof that a future was dropped (cancelled)
/// rather than left running.
struct DropGuard(Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A record of the calls made to callbacks: (callback name, outcome, time).
type Calls = Arc<Mutex<Vec<(&'static str, Outcome<u32>, Duration)>>>;

/// Adds a callback to `task` that records its call into `calls`, with the
/// time elapsed since `start`.
fn record_into(task: &Task<u32>, calls: &Calls, name: &'static str, start: Instant) {
    let calls = Arc::clone(calls);
    task.add_done_callback(move |outcome| {
        calls
            .lock()
            .unwrap()
            .push((name, outcome.clone(), start.elapsed()));
    });
}

fn names(calls: &Calls) -> Vec<&'static str> {
    calls.lock().unwrap().iter().map(|call| call.0).collect()
}

/// While the future is still running, the task is running: not done, not
/// cancelled, no error, no outcome.
#[tokio::test(start_paused = true)]
async fn a_running_task_reports_running() {
    let task = returns_after(1, 7);
    sleep(Duration::from_millis(500)).await;

    assert_eq!(task.status(), Status::Running);
    assert!(!task.is_done(), "done() was true for a task still running");
    assert!(!task.is_cancelled());
    assert_eq!(task.error(), None);
    assert_eq!(task.outcome(), None, "a running task has no outcome yet");
}

/// A task that returns `Ok` is done and succeeded, with its value, at the
/// moment its future finishes.
#[tokio::test(start_paused = true)]
async fn a_finished_task_reports_its_value() {
    let start = Instant::now();
    let task = returns_after(1, 42);

    assert_eq!(wait_within_limit(&task).await, Outcome::Succeeded(42));

    assert_eq!(
        start.elapsed(),
        secs(1),
        "wait must return when the task ends"
    );
    assert_eq!(task.status(), Status::Succeeded);
    assert!(task.is_done());
    assert!(!task.is_cancelled());
    assert_eq!(task.error(), None, "a task that succeeded has no error");
    assert_eq!(task.outcome(), Some(Outcome::Succeeded(42)));
}

/// `done()` means "ended", not "succeeded": a task that returned `Err` is
/// done, failed, and its error is available.
#[tokio::test(start_paused = true)]
async fn a_task_that_returns_an_error_is_done_and_failed() {
    let task: Task<u32> = Task::spawn(async {
        sleep(secs(1)).await;
        Err("disk full".to_owned())
    });

    let outcome = wait_within_limit(&task).await;

    assert_eq!(outcome, Outcome::Failed("disk full".to_owned()));
    assert_eq!(task.status(), Status::Failed);
    assert!(
        task.is_done(),
        "a failed task is done too (done() is not success)"
    );
    assert!(!task.is_cancelled());
    assert_eq!(task.error(), Some("disk full".to_owned()));
}

/// A panic is a failure too, with the panic's message, not a crash of the
/// handle or a task that stays "running" forever.
#[tokio::test(start_paused = true)]
async fn a_panicking_task_is_failed_with_the_panic_message() {
    let task: Task<u32> = Task::spawn(async {
        sleep(secs(1)).await;
        panic!("index out of bounds");
    });

    let outcome = wait_within_limit(&task).await;

    assert_eq!(outcome, Outcome::Failed("index out of bounds".to_owned()));
    assert_eq!(task.status(), Status::Failed);
    assert!(task.is_done(), "a task that panicked is done");
    assert_eq!(task.error(), Some("index out of bounds".to_owned()));
}

/// Cancelling stops the work at once: the future is dropped (its cleanup
/// ran), it never finishes later, and the task reports done and cancelled.
#[tokio::test(start_paused = true)]
async fn a_cancelled_task_is_done_cancelled_and_really_stopped() {
    let dropped = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let task: Task<u32> = Task::spawn({
        let guard = DropGuard(Arc::clone(&dropped));
        let finished = Arc::clone(&finished);
        async move {
            let _guard = guard;
            sleep(secs(10)).await;
            finished.store(true, Ordering::SeqCst);
            Ok(1)
        }
    });
    sleep(secs(1)).await;
    let start = Instant::now();

    assert!(task.cancel(), "cancel() on a running task must return true");
    let outcome = wait_within_limit(&task).await;

    assert_eq!(outcome, Outcome::Cancelled);
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "the cancellation must land at once"
    );
    assert_eq!(task.status(), Status::Cancelled);
    assert!(task.is_done(), "a cancelled task is done too");
    assert!(task.is_cancelled());
    assert_eq!(task.error(), None, "a cancellation is not an error");
    assert!(
        !task.cancel(),
        "cancel() on a task that is already cancelled must return false"
    );
    assert!(
        dropped.load(Ordering::SeqCst),
        "the cancelled future was never dropped: its cleanup did not run"
    );
    sleep(secs(20)).await;
    assert!(
        !finished.load(Ordering::SeqCst),
        "the cancelled task kept running and finished its work"
    );
}

/// Cancelling is a request: right after `cancel()` the task has not stopped
/// yet, and it must not claim to be cancelled before its cleanup has run.
#[tokio::test(start_paused = true)]
async fn done_callbacks_of_a_cancelled_task_run_after_its_cleanup() {
    let dropped = Arc::new(AtomicBool::new(false));
    let task: Task<u32> = Task::spawn({
        let guard = DropGuard(Arc::clone(&dropped));
        async move {
            let _guard = guard;
            sleep(secs(10)).await;
            Ok(1)
        }
    });
    let cleanup_seen_by_callback = Arc::new(Mutex::new(None));
    task.add_done_callback({
        let dropped = Arc::clone(&dropped);
        let seen = Arc::clone(&cleanup_seen_by_callback);
        move |_| *seen.lock().unwrap() = Some(dropped.load(Ordering::SeqCst))
    });
    sleep(secs(1)).await;

    task.cancel();
    if task.is_cancelled() {
        assert!(
            dropped.load(Ordering::SeqCst),
            "cancelled() was true while the future had not been dropped yet"
        );
    }
    wait_within_limit(&task).await;

    assert_eq!(
        *cleanup_seen_by_callback.lock().unwrap(),
        Some(true),
        "the done callback ran before the cancelled future's cleanup: \
         the task was reported cancelled while it had not stopped"
    );
}

/// `cancel()` on a task that has already ended changes nothing and says so.
#[tokio::test(start_paused = true)]
async fn cancelling_a_finished_task_changes_nothing() {
    let task = returns_after(1, 5);
    wait_within_limit(&task).await;

    assert!(
        !task.cancel(),
        "cancel() on a finished task must return false"
    );
    sleep(secs(1)).await;

    assert_eq!(task.status(), Status::Succeeded);
    assert_eq!(task.outcome(), Some(Outcome::Succeeded(5)));
}

/// `cancel()` says `false` only for a task that reports its end. Just after
/// the work's future has returned, before the task has recorded how it
/// ended, the task is still `Running`: `cancel()` must not refuse then
/// (tokio's `AbortHandle::is_finished` is already true at that moment, so
/// it is the wrong thing to ask). The work tells a checking task that it is
/// returning, through a channel, and the runtime runs that task before
/// anything else the work's end wakes: so the check lands in exactly that
/// moment.
#[tokio::test(start_paused = true)]
async fn cancel_refuses_only_a_task_that_reports_its_end() {
    let (returning, work_returned) = tokio::sync::oneshot::channel();
    let task = Arc::new(Task::spawn(async move {
        sleep(secs(1)).await;
        let _ = returning.send(());
        Ok(5)
    }));
    let checker = tokio::spawn({
        let task = Arc::clone(&task);
        async move {
            work_returned
                .await
                .expect("the work sends before it returns");
            let refused = !task.cancel();
            (refused, task.status())
        }
    });

    let (refused, status) = timeout(LIMIT, checker)
        .await
        .expect("the work never returned")
        .unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));

    assert!(
        !refused || status != Status::Running,
        "cancel() returned false while the task still reported {status:?}: \
         it must answer from the task's own record, as is_done() does"
    );
}

/// A callback added while the task runs is called once, with the outcome,
/// exactly when the task ends.
#[tokio::test(start_paused = true)]
async fn a_callback_added_before_completion_runs_when_the_task_ends() {
    let start = Instant::now();
    let calls = Calls::default();
    let task = returns_after(1, 3);
    record_into(&task, &calls, "early", start);

    sleep(Duration::from_millis(999)).await;
    assert!(
        calls.lock().unwrap().is_empty(),
        "the callback ran before the task ended"
    );
    sleep(secs(5)).await;

    assert_eq!(
        *calls.lock().unwrap(),
        [("early", Outcome::Succeeded(3), secs(1))],
        "the callback must run once, with the outcome, when the task ends at 1 s"
    );
}

/// A callback added after the task has ended is not lost: it runs at once,
/// before `add_done_callback` returns.
#[tokio::test(start_paused = true)]
async fn a_callback_added_after_completion_runs_at_once() {
    let start = Instant::now();
    let calls = Calls::default();
    let task = returns_after(1, 3);
    sleep(secs(2)).await;

    record_into(&task, &calls, "late", start);

    assert_eq!(
        *calls.lock().unwrap(),
        [("late", Outcome::Succeeded(3), secs(2))],
        "a callback added after the task ended was lost (or delayed)"
    );
}

/// Every callback runs exactly once, whenever it was added; adding more
/// callbacks later does not run the earlier ones again.
#[tokio::test(start_paused = true)]
async fn every_callback_runs_exactly_once() {
    let start = Instant::now();
    let calls = Calls::default();
    let task = returns_after(1, 9);
    record_into(&task, &calls, "first", start);
    record_into(&task, &calls, "second", start);
    wait_within_limit(&task).await;

    record_into(&task, &calls, "third", start);
    sleep(secs(1)).await;
    record_into(&task, &calls, "fourth", start);
    wait_within_limit(&task).await;
    sleep(secs(5)).await;

    assert_eq!(
        names(&calls),
        ["first", "second", "third", "fourth"],
        "each callback must run once, in the order they were added"
    );
}

/// Callbacks receive failures and cancellations too, not only values.
#[tokio::test(start_paused = true)]
async fn callbacks_receive_failures_and_cancellations() {
    let start = Instant::now();
    let calls = Calls::default();
    let failing: Task<u32> = Task::spawn(async {
        sleep(secs(1)).await;
        Err("refused".to_owned())
    });
    let cancelled = returns_after(10, 1);
    record_into(&failing, &calls, "failing", start);
    record_into(&cancelled, &calls, "cancelled", start);

    sleep(secs(2)).await;
    cancelled.cancel();
    wait_within_limit(&cancelled).await;

    assert_eq!(
        *calls.lock().unwrap(),
        [
            ("failing", Outcome::Failed("refused".to_owned()), secs(1)),
            ("cancelled", Outcome::Cancelled, secs(2)),
        ]
    );
}

/// Dropping the handle neither stops the task nor loses its callbacks: a
/// "log when done" callback on a fire-and-forget task still fires.
#[tokio::test(start_paused = true)]
async fn callbacks_still_run_after_the_handle_is_dropped() {
    let start = Instant::now();
    let calls = Calls::default();
    {
        let task = returns_after(1, 4);
        record_into(&task, &calls, "logger", start);
        // The handle goes out of scope here, long before the task ends.
    }

    sleep(secs(5)).await;

    assert_eq!(
        *calls.lock().unwrap(),
        [("logger", Outcome::Succeeded(4), secs(1))],
        "dropping the handle stopped the task or lost its callback"
    );
}

/// Many waiters, before and after the end, all get the same outcome.
#[tokio::test(start_paused = true)]
async fn every_waiter_gets_the_outcome() {
    let start = Instant::now();
    let task = returns_after(1, 8);

    let (a, b) = tokio::join!(wait_within_limit(&task), wait_within_limit(&task));
    let c = wait_within_limit(&task).await;

    assert_eq!([a, b, c], [const { Outcome::Succeeded(8) }; 3]);
    assert_eq!(start.elapsed(), secs(1));
}

/// Callbacks fire from the task's side: nobody has to poll `status()` or
/// call `wait()` for them to run.
#[tokio::test(start_paused = true)]
async fn callbacks_run_without_anyone_waiting() {
    let counter = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<Task<u32>> = (1..=3).map(|i| returns_after(i, 0)).collect();
    for task in &tasks {
        let counter = Arc::clone(&counter);
        task.add_done_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
    }

    sleep(secs(10)).await;

    assert_eq!(
        counter.load(Ordering::SeqCst),
        3,
        "the callbacks only ran when somebody asked"
    );
}

/// A callback may ask its own task how it is doing (Python hands the task to
/// its callbacks for exactly that), whether it was added before or after the
/// end. So callbacks must run after the task's lock is released: a std
/// `Mutex` locked again by the thread that holds it never opens.
#[test]
fn a_callback_may_call_back_into_its_task() {
    // A deadlock blocks the whole thread, out of reach of tokio's `timeout`:
    // run the scenario on a thread of its own and wait for it in real time.
    let (sender, receiver) = mpsc::channel();
    let scenario = thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a current-thread runtime can always be built here");
        let seen = runtime.block_on(async {
            let seen = Arc::new(Mutex::new(Vec::new()));
            let task = Arc::new(returns_after(1, 6));
            let add_querying_callback = |name: &'static str| {
                // A `Weak` reference, so that the task's own list of
                // callbacks does not keep the task alive.
                let task_ref = Arc::downgrade(&task);
                let seen = Arc::clone(&seen);
                task.add_done_callback(move |_| {
                    let task = task_ref.upgrade().expect("the test holds the task");
                    let answers = (name, task.status(), task.outcome());
                    seen.lock().unwrap().push(answers);
                });
            };
            add_querying_callback("early");
            sleep(secs(2)).await;
            add_querying_callback("late");
            seen.lock().unwrap().clone()
        });
        // The receiver is gone only if the test already failed by timing out.
        let _ = sender.send(seen);
    });

    let seen = match receiver.recv_timeout(Duration::from_secs(2)) {
        Ok(seen) => seen,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "deadlock: a callback that called its task's methods never returned \
             (did it run while the task's lock was held?)"
        ),
        // The scenario panicked before sending: pass its panic on.
        Err(mpsc::RecvTimeoutError::Disconnected) => match scenario.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the scenario sends before it returns"),
        },
    };
    assert_eq!(
        seen,
        [
            ("early", Status::Succeeded, Some(Outcome::Succeeded(6))),
            ("late", Status::Succeeded, Some(Outcome::Succeeded(6))),
        ],
        "inside its callback, the task must already report how it ended"
    );
}

/// How long, in real time, the stress tests below wait for what must
/// happen at once before they call it a failure.
const GIVE_UP: Duration = Duration::from_secs(2);

/// Waits, in real time, until `done` reaches `expected`; false after
/// [`GIVE_UP`].
async fn reaches(done: &AtomicUsize, expected: usize) -> bool {
    let deadline = std::time::Instant::now() + GIVE_UP;
    while done.load(Ordering::SeqCst) != expected {
        if std::time::Instant::now() > deadline {
            return false;
        }
        sleep(Duration::from_millis(1)).await;
    }
    true
}

/// The race that makes `add_done_callback` hard, forced. On a multi-thread
/// runtime, four threads add callbacks back to back, all queueing for the
/// task's lock, and the task ends (on a worker thread) while they do; they
/// stop once the task reports its end. Every callback added must run,
/// whether it landed before the end or after. If "has it ended?" and "keep
/// it for later" take the lock separately, a callback is lost whenever the
/// end slips in between. With four threads queueing for the lock, some
/// thread is between the two in about two rounds of five, so all 30 rounds
/// miss it about once in five million runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_added_as_the_task_ends_is_never_lost() {
    const ADDERS: usize = 4;
    for round in 0..30 {
        let (go, wait_for_go) = tokio::sync::oneshot::channel::<()>();
        let task: Task<u32> = Task::spawn(async move {
            let _ = wait_for_go.await;
            Ok(1)
        });
        let called = Arc::new(AtomicUsize::new(0));
        let all_adding = std::sync::Barrier::new(ADDERS + 1);
        let added: usize = thread::scope(|scope| {
            let adders: Vec<_> = (0..ADDERS)
                .map(|_| {
                    scope.spawn(|| {
                        all_adding.wait();
                        let started = std::time::Instant::now();
                        let mut added = 0;
                        while !task.is_done() {
                            let called = Arc::clone(&called);
                            task.add_done_callback(move |_| {
                                called.fetch_add(1, Ordering::SeqCst);
                            });
                            added += 1;
                            if added % 1024 == 0 && started.elapsed() > GIVE_UP {
                                break;
                            }
                        }
                        added
                    })
                })
                .collect();
            all_adding.wait();
            go.send(()).expect("the task is waiting for the go");
            adders
                .into_iter()
                .map(|adder| adder.join().expect("an adder thread panicked"))
                .sum()
        });
        assert!(
            task.is_done(),
            "round {round}: the task never reported its end"
        );
        assert!(
            reaches(&called, added).await,
            "round {round}: {added} callbacks were added as the task ended, but only {} ran: \
             one added between the check \"has it ended?\" and the store was lost; \
             check and store under one lock",
            called.load(Ordering::SeqCst)
        );
    }
}

/// The same race for `wait`, on a multi-thread runtime: calls to `wait`
/// begin back to back on this thread (each polled once, so that it looks
/// for the outcome and starts listening) while the task ends on a worker
/// thread. Every one of them must then return. A `wait` that looks for the
/// outcome and only then starts listening (say, on a `Notify` woken with
/// `notify_waiters`) misses an end that lands in between and never returns.
/// That gap cannot be widened from outside, so this test catches such a
/// `wait` in most runs, not all: build `wait` on a done callback instead,
/// which the lock already makes safe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_begun_as_the_task_ends_always_returns() {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    for round in 0..200 {
        let (go, wait_for_go) = tokio::sync::oneshot::channel::<()>();
        let task: Task<u32> = Task::spawn(async move {
            let _ = wait_for_go.await;
            Ok(1)
        });
        let mut begun = Vec::new();
        go.send(()).expect("the task is waiting for the go");
        let started = std::time::Instant::now();
        while !task.is_done() {
            let mut waiting = Box::pin(task.wait());
            if waiting.as_mut().poll(&mut context).is_pending() {
                begun.push(waiting);
            }
            assert!(
                begun.len() % 1024 != 0 || started.elapsed() < GIVE_UP,
                "round {round}: the task never reported its end"
            );
        }
        let count = begun.len();
        for waiting in begun {
            assert_eq!(
                timeout(GIVE_UP, waiting).await,
                Ok(Outcome::Succeeded(1)),
                "round {round}: one of {count} waits begun as the task ended never returned: \
                 it looked for the outcome, then started listening, and the end fell between"
            );
        }
    }
}
