//! Kata 07 tests: a hand-written promise, polled by hand and by a runtime.
//!
//! Most tests poll the promise themselves, through `tokio_test::task::spawn`
//! (a mock task that records whether it was woken) or through a waker that
//! counts its wake-ups. That makes the `Future` contract visible: `Pending`
//! until the result is set, and a wake-up exactly when it is set, never before.
//! The last tests await the promise on real runtimes, wrapped in `timeout`, so
//! a promise that never wakes its task fails instead of hanging.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use promise::{Abandoned, channel};
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
