//! Kata 07 tests: a hand-written promise, polled by hand and by a runtime.
//!
//! Most tests poll the promise themselves, through `tokio_test::task::spawn`
//! (a mock task that records whether it was woken) or through a waker that
//! counts its wake-ups. That makes the `Future` contract visible: `Pending`
//! until the result is set, and a wake-up exactly when it is set, never before.
//! The last tests await the promise on real runtimes, wrapped in `timeout`, so
//! a promise that never wakes its task fails instead of hanging.
//!
//! Races between the two halves are forced where a test can force them: a
//! waker that polls the promise the moment it is woken (as an executor that
//! runs tasks inline may), and a waker whose clone lets the setter run in the
//! middle of a poll. A stress test on two threads covers the rest.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Wake, Waker};
use std::thread;
use std::time::Duration;

use promise::{Abandoned, Promise, Setter, channel};
use tokio::time::{Instant, timeout};
use tokio_test::task::spawn;
use tokio_test::{assert_pending, assert_ready_eq};

/// Long enough for any right answer; a hang fails here instead.
const LIMIT: Duration = Duration::from_secs(5);

/// The same guard in real time, for the test with an OS thread.
const REAL_LIMIT: Duration = Duration::from_secs(2);

/// A waker that counts how often it was woken: a task we can look inside.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl CountingWaker {
    fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Polls `future` once, as the task that owns `waker` would.
fn poll_with<F: Future + Unpin>(future: &mut F, waker: &Arc<CountingWaker>) -> Poll<F::Output> {
    let waker = Waker::from(Arc::clone(waker));
    Pin::new(future).poll(&mut Context::from_waker(&waker))
}

/// No result yet: every poll says `Pending`; once it is set, the poll is `Ready`.
#[test]
fn promise_is_pending_until_the_result_is_set() {
    let (setter, promise) = channel();
    let mut task = spawn(promise);

    assert_pending!(
        task.poll(),
        "the promise was ready before any result was set"
    );
    assert_pending!(task.poll(), "a second poll must still be pending");

    setter.set_result(42);

    assert_ready_eq!(task.poll(), Ok(42));
}

/// A pending poll must not ask to be polled again at once (that is a busy loop).
#[test]
fn a_pending_poll_does_not_wake_its_own_task() {
    let (_setter, promise) = channel::<u32>();
    let mut task = spawn(promise);

    assert_pending!(task.poll());

    assert!(
        !task.is_woken(),
        "poll woke its own task while still pending: the runtime would re-poll it \
         in a busy loop; store the waker and wake it only when the result is set"
    );
}

/// Setting the result wakes the task that is waiting on the promise.
#[test]
fn setting_the_result_wakes_the_waiting_task() {
    let (setter, promise) = channel();
    let mut task = spawn(promise);
    assert_pending!(task.poll());

    setter.set_result("done".to_owned());

    assert!(
        task.is_woken(),
        "set_result did not wake the waiting task: a runtime would never poll it again"
    );
    assert_ready_eq!(task.poll(), Ok("done".to_owned()));
}

/// However often the task polls while it waits, it is woken once, by the result.
#[test]
fn the_waiting_task_is_woken_exactly_once() {
    let (setter, mut promise) = channel();
    let task = Arc::new(CountingWaker::default());

    for _ in 0..3 {
        assert!(poll_with(&mut promise, &task).is_pending());
    }
    assert_eq!(
        task.wakes(),
        0,
        "the task was woken before the result was set"
    );

    setter.set_result(7);

    assert_eq!(
        task.wakes(),
        1,
        "setting the result must wake the waiting task exactly once"
    );
    assert_eq!(poll_with(&mut promise, &task), Poll::Ready(Ok(7)));
}

/// A result set before anyone polls is there on the first poll.
#[test]
fn a_result_set_before_the_first_poll_is_ready_at_once() {
    let (setter, promise) = channel();
    setter.set_result(vec![1, 2, 3]);

    let mut task = spawn(promise);

    assert_ready_eq!(task.poll(), Ok(vec![1, 2, 3]));
}

/// Dropping the setter without a result wakes the waiter with an error.
#[test]
fn dropping_the_setter_gives_an_abandoned_error() {
    let (setter, promise) = channel::<u32>();
    let mut task = spawn(promise);
    assert_pending!(task.poll());

    drop(setter);

    assert!(
        task.is_woken(),
        "dropping the setter did not wake the waiting task: it would wait forever"
    );
    assert_ready_eq!(task.poll(), Err(Abandoned));
}

/// A promise moved to another task wakes the task that polled it last.
#[test]
fn the_latest_waker_is_the_one_woken() {
    let (setter, mut promise) = channel();
    let first_task = Arc::new(CountingWaker::default());
    let second_task = Arc::new(CountingWaker::default());

    assert!(poll_with(&mut promise, &first_task).is_pending());
    // The promise now moves on: the second task is the one awaiting it.
    assert!(poll_with(&mut promise, &second_task).is_pending());

    setter.set_result('x');

    assert_eq!(
        second_task.wakes(),
        1,
        "the task that polled last was not woken: keep the waker of the latest poll"
    );
    assert_eq!(
        first_task.wakes(),
        0,
        "a task that no longer holds the promise was woken instead"
    );
    assert_eq!(poll_with(&mut promise, &second_task), Poll::Ready(Ok('x')));
}

/// On a runtime: a task awaiting the promise resumes when another task sets it.
#[tokio::test(start_paused = true)]
async fn an_awaiting_task_resumes_when_another_task_sets_the_result() {
    let (setter, promise) = channel();
    let start = Instant::now();
    let setting = tokio::spawn(async move {
        // Let the main task reach its `.await` and go to sleep first.
        for _ in 0..3 {
            tokio::task::yield_now().await;
        }
        setter.set_result(99);
    });

    let result = timeout(LIMIT, promise)
        .await
        .expect("the awaiting task was never woken after the result was set");

    assert_eq!(result, Ok(99));
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "the result was only noticed when the timeout fired and polled the promise: \
         set_result did not wake the awaiting task"
    );
    setting.await.expect("the setting task panicked");
}

/// On a runtime: a task awaiting an abandoned promise gets an error, not a hang.
#[tokio::test(start_paused = true)]
async fn an_awaiting_task_gets_an_error_when_the_setter_is_dropped() {
    let (setter, promise) = channel::<String>();
    let start = Instant::now();
    let dropping = tokio::spawn(async move {
        for _ in 0..3 {
            tokio::task::yield_now().await;
        }
        drop(setter);
    });

    let result = timeout(LIMIT, promise)
        .await
        .expect("the setter was dropped, but the awaiting task hung instead of failing");

    assert_eq!(result, Err(Abandoned));
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "the error was only noticed when the timeout fired and polled the promise: \
         dropping the setter did not wake the awaiting task"
    );
    dropping.await.expect("the dropping task panicked");
}

/// The setter can be sent to a plain OS thread, and its result reaches the task.
///
/// Real time here: a value sent from another thread does not mix with the paused clock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_set_on_another_thread_reaches_the_awaiting_task() {
    let (setter, promise) = channel();
    let start = std::time::Instant::now();
    let thread = std::thread::spawn(move || setter.set_result(String::from("from a thread")));

    let result = timeout(REAL_LIMIT, promise)
        .await
        .expect("a result set on another thread never reached the awaiting task");

    assert_eq!(result.as_deref(), Ok("from a thread"));
    assert!(
        start.elapsed() < REAL_LIMIT / 2,
        "the result was only noticed when the timeout fired: the setter did not wake the task"
    );
    thread.join().expect("the setting thread panicked");
}

/// A waker that polls the promise the moment it is woken, on the thread that
/// wakes it: what an executor that runs tasks inline may do. A `wake` is a
/// call into code you do not control; it must find the promise consistent,
/// and its lock free.
struct EagerPoller {
    promise: Mutex<Option<Pin<Box<Promise<u32>>>>>,
    outcome: Mutex<Option<Result<u32, Abandoned>>>,
    wakes: AtomicUsize,
}

impl EagerPoller {
    fn new(promise: Promise<u32>) -> Arc<Self> {
        Arc::new(Self {
            promise: Mutex::new(Some(Box::pin(promise))),
            outcome: Mutex::new(None),
            wakes: AtomicUsize::new(0),
        })
    }

    fn woken(&self) -> bool {
        self.wakes.load(Ordering::SeqCst) > 0
    }

    /// Polls the promise now, unless it is being polled already (a wake from
    /// inside its own poll) or is finished.
    fn poll_now(self: &Arc<Self>) {
        let Ok(mut slot) = self.promise.try_lock() else {
            return;
        };
        let waker = Waker::from(Arc::clone(self));
        let Some(promise) = slot.as_mut() else {
            return;
        };
        if let Poll::Ready(outcome) = promise.as_mut().poll(&mut Context::from_waker(&waker)) {
            *self.outcome.lock().unwrap() = Some(outcome);
            *slot = None;
        }
    }

    fn outcome(&self) -> Option<Result<u32, Abandoned>> {
        *self.outcome.lock().unwrap()
    }
}

impl Wake for EagerPoller {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.poll_now();
    }
}

/// Polls a new promise once with an [`EagerPoller`], then lets `finish` set
/// the result or drop the setter on a helper thread, and fails the test if
/// that has not returned within `REAL_LIMIT` (a deadlock) or did not wake the
/// task. Returns the task, to look at what its eager poll found.
fn woken_eager_poller(
    finish: impl FnOnce(Setter<u32>) + Send + 'static,
    what: &str,
) -> Arc<EagerPoller> {
    let (setter, promise) = channel();
    let task = EagerPoller::new(promise);
    task.poll_now();
    assert_eq!(task.outcome(), None, "the promise was ready before {what}");

    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        finish(setter);
        let _ = done.send(());
    });
    match finished.recv_timeout(REAL_LIMIT) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} never returned: it deadlocked, most likely by calling the waker while \
             holding the lock (the woken task polled the promise, which takes the same \
             lock). Take the waker out, release the lock, then wake"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked"),
    }
    assert!(task.woken(), "{what} did not wake the waiting task");
    task
}

/// A waker that polls the promise as soon as it is woken finds the result:
/// the value is in place before the wake, and the lock is free during it.
#[test]
fn a_waker_that_polls_at_once_finds_the_result() {
    let task = woken_eager_poller(|setter| setter.set_result(5), "set_result");

    assert_eq!(
        task.outcome(),
        Some(Ok(5)),
        "the waker polled the promise the moment it was woken, and did not find the \
         result: store the value (and mark the setter gone) before waking"
    );
}

/// A waker that polls the promise as soon as it is woken finds the setter
/// gone: the setter is marked gone before the wake, not after, and not by
/// looking at how many owners the shared state has left.
#[test]
fn a_waker_that_polls_at_once_finds_the_setter_gone() {
    let task = woken_eager_poller(drop, "dropping the setter");

    assert_eq!(
        task.outcome(),
        Some(Err(Abandoned)),
        "the waker polled the promise the moment the setter woke it, and the promise \
         did not know yet that the setter was gone: it went back to Pending and will \
         never be woken again. Mark the setter gone before waking (the setter's `Arc` \
         is still alive while its `drop` runs, so counting owners does not tell)"
    );
}

/// What a [`CloneHook`] waker shares: the setter to run on its first clone,
/// and how often it was woken.
struct CloneHook {
    setter: Mutex<Option<Setter<u32>>>,
    setter_finished: Mutex<Option<mpsc::Receiver<()>>>,
    wakes: AtomicUsize,
}

impl CloneHook {
    /// The first clone of the waker (made by a pending poll, to keep it) sets
    /// the result on another thread and gives it up to 300 ms to finish. If
    /// the poll holds its lock while cloning, the setter waits for it; if the
    /// poll has let go of the lock between looking for the result and
    /// storing its waker, the setter runs exactly in that gap.
    fn on_clone(&self) {
        let Some(setter) = self.setter.lock().unwrap().take() else {
            return;
        };
        let (done, finished) = mpsc::channel();
        thread::spawn(move || {
            setter.set_result(9);
            let _ = done.send(());
        });
        let _ = finished.recv_timeout(Duration::from_millis(300));
        *self.setter_finished.lock().unwrap() = Some(finished);
    }

    fn waker(self: &Arc<Self>) -> Waker {
        const VTABLE: RawWakerVTable = RawWakerVTable::new(
            |data| {
                // SAFETY: `data` comes from `Arc::into_raw` in `waker` below,
                // and the waker being cloned keeps that count alive.
                let hook = unsafe { &*data.cast::<CloneHook>() };
                hook.on_clone();
                // SAFETY: as above; the new waker owns the new count.
                unsafe { Arc::increment_strong_count(data.cast::<CloneHook>()) };
                RawWaker::new(data, &VTABLE)
            },
            |data| {
                // SAFETY: a waker owns one count, given up here.
                let hook = unsafe { Arc::from_raw(data.cast::<CloneHook>()) };
                hook.wakes.fetch_add(1, Ordering::SeqCst);
            },
            |data| {
                // SAFETY: the waker is alive while it is woken by reference.
                let hook = unsafe { &*data.cast::<CloneHook>() };
                hook.wakes.fetch_add(1, Ordering::SeqCst);
            },
            |data| {
                // SAFETY: a waker owns one count, given up here.
                drop(unsafe { Arc::from_raw(data.cast::<CloneHook>()) });
            },
        );
        let data = Arc::into_raw(Arc::clone(self)).cast::<()>();
        // SAFETY: the vtable functions above follow the `RawWaker` contract
        // for a pointer made by `Arc::into_raw`.
        unsafe { Waker::from_raw(RawWaker::new(data, &VTABLE)) }
    }
}

/// A setter that runs while the promise is being polled is not missed: the
/// check for a result and the storing of the waker happen under one lock, so
/// either the poll sees the result or the setter sees the waker.
#[test]
fn a_result_set_in_the_middle_of_a_poll_is_not_missed() {
    let (setter, mut promise) = channel();
    let hook = Arc::new(CloneHook {
        setter: Mutex::new(Some(setter)),
        setter_finished: Mutex::new(None),
        wakes: AtomicUsize::new(0),
    });
    let waker = hook.waker();

    let first = Pin::new(&mut promise).poll(&mut Context::from_waker(&waker));
    if let Some(finished) = hook.setter_finished.lock().unwrap().take() {
        finished
            .recv_timeout(REAL_LIMIT)
            .expect("set_result returned");
    }

    match first {
        Poll::Ready(result) => assert_eq!(result, Ok(9)),
        Poll::Pending => {
            assert_eq!(
                hook.wakes.load(Ordering::SeqCst),
                1,
                "the result was set while the promise was being polled, between its look \
                 for a result and the storing of its waker, and the wake-up was lost: the \
                 setter found no waker, the poll found no result. Look and store under one \
                 lock, held until the waker is stored"
            );
            assert_eq!(
                Pin::new(&mut promise).poll(&mut Context::from_waker(&waker)),
                Poll::Ready(Ok(9))
            );
        }
    }
}

/// On two threads, first polls racing `set_result` (thousands of times, for
/// at most 200 ms): every promise whose first poll was pending is woken.
#[test]
fn no_wake_up_is_lost_when_first_polls_race_the_setter() {
    const ROUNDS: usize = 20_000;
    let deadline = std::time::Instant::now() + Duration::from_millis(200);
    let (setters, mut promises): (Vec<_>, Vec<_>) = (0..ROUNDS).map(|_| channel()).unzip();
    // Lockstep: the poller opens round `r` (`opened`), the setter sets it and
    // reports it (`set`), and the poller opens the next one only after that.
    let opened = Arc::new(AtomicUsize::new(0));
    let set = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    // Waits for `counter` to reach `at_least`; false if told to stop, or if
    // the other side has not moved for `REAL_LIMIT` (it panicked, or hangs).
    fn wait_for(counter: &AtomicUsize, at_least: usize, stop: &AtomicBool) -> bool {
        let give_up = std::time::Instant::now() + REAL_LIMIT;
        let mut spins = 0u32;
        while counter.load(Ordering::Acquire) < at_least {
            if stop.load(Ordering::Acquire)
                || (spins.is_multiple_of(1024) && std::time::Instant::now() > give_up)
            {
                return false;
            }
            spins += 1;
            if spins.is_multiple_of(128) {
                thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
        true
    }
    let setting = {
        let (opened, set, stop) = (Arc::clone(&opened), Arc::clone(&set), Arc::clone(&stop));
        thread::spawn(move || {
            for (round, setter) in setters.into_iter().enumerate() {
                if !wait_for(&opened, round + 1, &stop) {
                    break;
                }
                setter.set_result(round);
                set.store(round + 1, Ordering::Release);
            }
        })
    };

    let mut pending = Vec::new();
    for (round, promise) in promises.iter_mut().enumerate() {
        if round.is_multiple_of(256) && std::time::Instant::now() > deadline {
            break;
        }
        if !wait_for(&set, round, &stop) {
            break;
        }
        let task = Arc::new(CountingWaker::default());
        opened.store(round + 1, Ordering::Release);
        // A different head start for the setter each round, so that the set
        // lands at every point of the poll, somewhere.
        for _ in 0..(round % 32) * 8 {
            std::hint::spin_loop();
        }
        if poll_with(promise, &task).is_pending() {
            pending.push((round, task));
        }
    }
    let rounds = opened.load(Ordering::Acquire);
    wait_for(&set, rounds, &stop);
    stop.store(true, Ordering::Release);
    setting.join().expect("the setting thread panicked");

    for (round, task) in &pending {
        assert_eq!(
            task.wakes(),
            1,
            "round {round} of {rounds}: the first poll was pending, and the result was set \
             at the same time on another thread, but the task was never woken: a \
             wake-up was lost between the two halves. Every look at the state and every \
             change to it must happen under one lock"
        );
    }
}

/// A future wrapper that counts how often its task polls it.
struct CountPolls<F> {
    inner: F,
    polls: Arc<AtomicUsize>,
}

impl<F: Future + Unpin> Future for CountPolls<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        Pin::new(&mut self.inner).poll(cx)
    }
}

/// A task awaiting the promise for 200 ms is polled twice: once to wait,
/// once when the result arrives. No wake-ups in between, "just in case".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_awaiting_task_is_polled_only_when_woken() {
    let (setter, promise) = channel();
    let polls = Arc::new(AtomicUsize::new(0));
    let thread = thread::spawn(move || {
        // 200 ms of something else first: a wait on a channel nobody sends to.
        let (_keep, never) = mpsc::channel::<()>();
        let _ = never.recv_timeout(Duration::from_millis(200));
        setter.set_result(1);
    });

    let counted = CountPolls {
        inner: promise,
        polls: Arc::clone(&polls),
    };
    let result = timeout(REAL_LIMIT, counted)
        .await
        .expect("the result never reached the awaiting task");

    assert_eq!(result, Ok(1));
    assert_eq!(
        polls.load(Ordering::SeqCst),
        2,
        "the awaiting task was polled {} times in 200 ms: something woke it while no \
         result had arrived (a timer, a helper thread, a wake in poll). Wake only when \
         the result is set or the setter is dropped",
        polls.load(Ordering::SeqCst)
    );
    thread.join().expect("the setting thread panicked");
}

/// Setting a result, or dropping the setter, after the promise is gone is
/// harmless: nobody is waiting, and nothing panics.
#[test]
fn a_setter_outliving_its_promise_is_harmless() {
    let (setter, promise) = channel::<u32>();
    drop(promise);
    setter.set_result(1);

    let (setter, promise) = channel::<u32>();
    drop(promise);
    drop(setter);
}
