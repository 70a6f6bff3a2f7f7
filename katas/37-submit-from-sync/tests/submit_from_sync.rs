//! Kata 37 tests: plain threads run futures on a runtime they do not own.
//!
//! These are plain `#[test]` functions: the callers are OS threads, and the
//! runtime is one the test builds and shuts down itself. tokio's paused clock
//! has no say over OS threads, so the tests use real time, and prove what
//! they can by the order of events (a future that signals it has started, a
//! runtime shut down while a call waits) rather than by durations. Every
//! call that could hang runs on a thread of its own under a watchdog, so a
//! wrong answer fails after a few seconds instead of hanging.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc as std_mpsc;
use std::thread;
use std::time::{Duration, Instant};

use submit_from_sync::{SubmitError, Submitter};
use tokio::runtime::Runtime;
use tokio::sync::{Barrier, oneshot};

/// How long a call that must return "at once" may take on a loaded machine.
const PROMPTLY: Duration = Duration::from_secs(3);

/// A limit no call in these tests should reach, for `run_timeout` calls
/// that must not time out.
const NEVER: Duration = Duration::from_secs(3600);

/// The prefix of the names of the runtime's worker threads.
const WORKER: &str = "app-worker";

/// The runtime the program owns: two workers, named so that a test can tell
/// where a future ran.
fn app_runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(WORKER)
        .enable_all()
        .build()
        .expect("a runtime builds")
}

/// Runs `call` on a plain thread named `caller` and returns its result, or
/// fails the test if it has not returned within `limit`: a hang fails here.
fn call_within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    call: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, result) = std_mpsc::channel();
    thread::Builder::new()
        .name("caller".to_owned())
        .spawn(move || {
            let _ = done.send(call());
        })
        .expect("a thread starts");
    match result.recv_timeout(limit) {
        Ok(value) => value,
        Err(std_mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not return within {limit:?}: it hangs")
        }
        Err(std_mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{what} panicked (see its message above); it must return an error instead")
        }
    }
}

/// Signals when it is dropped: the future holding it was dropped.
struct DropSignal(std_mpsc::Sender<()>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

/// Panics, as a failing future would, but without the panic hook: no
/// message, and no backtrace captured (which costs real time on a loaded
/// machine when `RUST_BACKTRACE` is set).
fn fail_on_purpose() -> ! {
    std::panic::resume_unwind(Box::new("the submitted future fails on purpose"))
}

/// A plain thread gets the future's answer.
#[test]
fn a_plain_thread_gets_the_answer() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());

    let answer = call_within(PROMPTLY, "run", move || {
        submitter.run(async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            6 * 7
        })
    });

    assert_eq!(answer, Ok(42));
}

/// The future runs as a task of the given runtime, on one of its workers:
/// not on the calling thread, and not on a runtime made for the call.
#[test]
fn the_future_runs_on_the_runtime_workers() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());

    let ran_on = call_within(PROMPTLY, "run", move || {
        submitter.run(async {
            // After an await, so that a future that started on the calling
            // thread would still be there.
            tokio::task::yield_now().await;
            thread::current().name().map(str::to_owned)
        })
    });

    let ran_on = ran_on.expect("run gave an answer").unwrap_or_default();
    assert!(
        ran_on.starts_with(WORKER),
        "the future ran on a thread named {ran_on:?}, not on a worker of the given \
         runtime ({WORKER}): spawn it onto the runtime through the handle, instead of \
         driving it on the calling thread (`handle.block_on(future)`) or on a runtime \
         of its own"
    );
}

/// Tasks the future spawns belong to the program's runtime: they keep running
/// after the answer came back (a runtime made for one call would drop them
/// when it is dropped).
#[test]
fn tasks_spawned_by_the_future_outlive_the_call() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());
    let (report, reported) = std_mpsc::channel::<&str>();

    let release = call_within(PROMPTLY, "run", move || {
        submitter.run(async move {
            let (release, released) = oneshot::channel::<()>();
            tokio::spawn(async move {
                if released.await.is_ok() {
                    let _ = report.send("background task done");
                }
            });
            release
        })
    })
    .expect("run gave an answer");

    assert!(
        release.send(()).is_ok(),
        "the background task the future spawned is gone once run returned: \
         the future ran on a runtime that was dropped after the call"
    );
    assert_eq!(reported.recv_timeout(PROMPTLY), Ok("background task done"));
}

/// Four plain threads submit at the same time, twenty-five futures each; every
/// thread gets its own answers, and their futures run concurrently (the first
/// of each thread waits for the first of the other three at a barrier).
#[test]
fn four_threads_submit_at_once_and_each_gets_its_answers() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());
    let barrier = Arc::new(Barrier::new(4));

    let answers = call_within(PROMPTLY, "four threads calling run", move || {
        let threads: Vec<_> = (0..4u64)
            .map(|t| {
                let submitter = submitter.clone();
                let barrier = Arc::clone(&barrier);
                thread::spawn(move || {
                    let met = submitter.run(async move {
                        barrier.wait().await;
                    });
                    let mut answers = vec![met.map(|()| 0)];
                    for i in 1..25 {
                        let n = t * 100 + i;
                        answers.push(submitter.run(async move {
                            tokio::task::yield_now().await;
                            n * n
                        }));
                    }
                    answers
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().expect("a caller thread panicked"))
            .collect::<Vec<_>>()
    });

    for (t, answers) in (0..4u64).zip(answers) {
        let expected: Vec<Result<u64, SubmitError>> = std::iter::once(Ok(0))
            .chain((1..25).map(|i| Ok((t * 100 + i) * (t * 100 + i))))
            .collect();
        assert_eq!(answers, expected, "thread {t} got wrong answers");
    }
}

/// Once the runtime is shut down, `run` gives `RuntimeGone` at once, and the
/// future never runs: no hang, no panic (the future uses a timer, which a
/// shut-down runtime no longer has).
#[test]
fn run_on_a_shut_down_runtime_gives_runtime_gone_at_once() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());
    drop(runtime);
    let ran = Arc::new(AtomicBool::new(false));

    let future_ran = Arc::clone(&ran);
    let answer = call_within(PROMPTLY, "run on a shut-down runtime", move || {
        submitter.run(async move {
            tokio::time::sleep(Duration::from_millis(1)).await;
            future_ran.store(true, Ordering::SeqCst);
        })
    });

    assert_eq!(
        answer,
        Err(SubmitError::RuntimeGone),
        "the runtime had been shut down before the call"
    );
    assert!(
        !ran.load(Ordering::SeqCst),
        "the future ran although the runtime was shut down: on what?"
    );
}

/// Once the runtime is shut down, `run_timeout` gives `RuntimeGone` at once
/// too: not `TimedOut` after its (hour-long) limit, and no panic.
#[test]
fn run_timeout_on_a_shut_down_runtime_gives_runtime_gone_at_once() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());
    drop(runtime);

    let answer = call_within(PROMPTLY, "run_timeout on a shut-down runtime", move || {
        submitter.run_timeout(
            async {
                tokio::time::sleep(Duration::from_millis(1)).await;
                1
            },
            NEVER,
        )
    });

    assert_eq!(answer, Err(SubmitError::RuntimeGone));
}

/// A future that signals when it has started, then never ends.
type Endless = Pin<Box<dyn Future<Output = u32> + Send>>;

/// Starts `call` on a plain thread with an [`Endless`] future; once the
/// future has started, shuts the runtime down, and returns what the call
/// gave within [`PROMPTLY`] (an `Err` if it gave nothing).
fn answer_to_a_shutdown_mid_call(
    call: impl FnOnce(Submitter, Endless) -> Result<u32, SubmitError> + Send + 'static,
) -> Result<Result<u32, SubmitError>, std_mpsc::RecvTimeoutError> {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());
    let (started, has_started) = std_mpsc::channel();
    let endless: Endless = Box::pin(async move {
        let _ = started.send(());
        std::future::pending::<u32>().await
    });

    let (done, answer) = std_mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(call(submitter, endless));
    });
    has_started
        .recv_timeout(PROMPTLY)
        .expect("the future never started");
    // Bounded: a runtime waits for its blocking threads at shutdown, and a
    // wrong answer may have left one stuck.
    runtime.shutdown_timeout(PROMPTLY);
    answer.recv_timeout(PROMPTLY)
}

/// A call waiting when the runtime shuts down gets `RuntimeGone` as soon as
/// the runtime has dropped its task: it does not wait for an answer that can
/// no longer come.
#[test]
fn run_waiting_when_the_runtime_shuts_down_gives_runtime_gone() {
    let answer = answer_to_a_shutdown_mid_call(|submitter, endless| submitter.run(endless));

    assert_eq!(
        answer,
        Ok(Err(SubmitError::RuntimeGone)),
        "the runtime shut down while run waited: it must return RuntimeGone, not hang"
    );
}

/// The same for `run_timeout`: the shutdown ends the wait, long before the
/// limit.
#[test]
fn run_timeout_waiting_when_the_runtime_shuts_down_gives_runtime_gone() {
    let answer =
        answer_to_a_shutdown_mid_call(|submitter, endless| submitter.run_timeout(endless, NEVER));

    assert_eq!(
        answer,
        Ok(Err(SubmitError::RuntimeGone)),
        "the runtime shut down while run_timeout waited: it must return RuntimeGone at \
         once, not wait for its limit"
    );
}

/// A panicking future gives `Panicked` to its caller, and the runtime serves
/// the next call as before.
#[test]
fn a_panicking_future_gives_panicked_and_the_runtime_lives_on() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());

    let answers = call_within(PROMPTLY, "run with a panicking future", move || {
        let first = submitter.run(async {
            tokio::task::yield_now().await;
            fail_on_purpose()
        });
        let second = submitter.run(async { 7 });
        (first.map(|()| 0), second)
    });

    assert_eq!(answers, (Err(SubmitError::Panicked), Ok(7)));
}

/// `run_timeout` reports a panic as `Panicked`, not as a shut-down runtime
/// or a time-out.
#[test]
fn run_timeout_reports_a_panic_as_panicked() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());

    let answer = call_within(PROMPTLY, "run_timeout with a panicking future", move || {
        submitter.run_timeout(
            async {
                tokio::task::yield_now().await;
                fail_on_purpose()
            },
            NEVER,
        )
    });

    assert_eq!(answer.map(|()| 0), Err(SubmitError::Panicked));
}

/// An answer that comes in time is returned as soon as it comes, not at the
/// (hour-long) limit.
#[test]
fn run_timeout_returns_an_answer_as_soon_as_it_comes() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());

    let answer = call_within(PROMPTLY, "run_timeout with a quick future", move || {
        submitter.run_timeout(
            async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                5
            },
            NEVER,
        )
    });

    assert_eq!(answer, Ok(5));
}

/// With no answer, `run_timeout` gives `TimedOut`, and not before its limit.
#[test]
fn run_timeout_gives_timed_out_after_the_limit() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());
    let limit = Duration::from_millis(100);

    let (answer, took) = call_within(PROMPTLY, "run_timeout with a stuck future", move || {
        let start = Instant::now();
        let answer = submitter.run_timeout(std::future::pending::<u32>(), limit);
        (answer, start.elapsed())
    });

    assert_eq!(answer, Err(SubmitError::TimedOut));
    assert!(
        took >= limit,
        "run_timeout gave up after {took:?}, before its limit of {limit:?}"
    );
}

/// A current-thread runtime runs its tasks only while some thread is inside
/// its `block_on`. Submitted to one that nobody drives (like a Python loop
/// that was stopped but not closed), the future never runs, and
/// `run_timeout` must still give up at its limit: its clock cannot be the
/// runtime's, whose timer nobody drives either.
#[test]
fn run_timeout_gives_up_on_a_runtime_nobody_drives() {
    let idle = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime builds");
    let submitter = Submitter::new(idle.handle().clone());
    let limit = Duration::from_millis(100);

    let answer = call_within(PROMPTLY, "run_timeout on an idle runtime", move || {
        submitter.run_timeout(async { 1 }, limit)
    });

    assert_eq!(
        answer,
        Err(SubmitError::TimedOut),
        "nobody drives this runtime, so nothing can run on it: the only right answer is \
         a time-out at the limit"
    );
}

/// A future that timed out is cancelled: the runtime drops it at its current
/// `.await`. (Python's `future.result(timeout)` does not cancel it; there
/// the caller must call `future.cancel()`.)
#[test]
fn a_timed_out_future_is_cancelled() {
    let runtime = app_runtime();
    let submitter = Submitter::new(runtime.handle().clone());
    let (dropped, was_dropped) = std_mpsc::channel();
    // Moved into the future: dropped with it, whether it was polled or not.
    let signal = DropSignal(dropped);

    let answer = call_within(PROMPTLY, "run_timeout with a stuck future", move || {
        submitter.run_timeout(
            async move {
                let _signal = signal;
                std::future::pending::<u32>().await
            },
            Duration::from_millis(50),
        )
    });

    assert_eq!(answer, Err(SubmitError::TimedOut));
    assert_eq!(
        was_dropped.recv_timeout(PROMPTLY),
        Ok(()),
        "the future is still running after run_timeout gave up on it: abort the task \
         (dropping a JoinHandle only detaches it)"
    );
}
