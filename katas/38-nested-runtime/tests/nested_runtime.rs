//! Kata 38 tests: one `block_on` helper, called from sync code in each of
//! the places such code can run.
//!
//! These are plain `#[test]` functions: each builds the runtime it needs (or
//! none), because the runtime around the call is what is being tested. Every
//! scenario runs on a thread of its own under a watchdog, so a helper that
//! deadlocks fails after a few seconds instead of hanging, and one that
//! panics fails with its message. Real threads are involved, so nothing here
//! rests on a duration: the proofs are values, flags and the order of events.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc as std_mpsc;
use std::thread;
use std::time::Duration;

use nested_runtime::{BlockOnError, block_on};
use tokio::runtime::{Builder, Handle, Runtime, RuntimeFlavor};
use tokio::sync::oneshot;

/// How long a scenario may take on a loaded machine before it counts as
/// hung. Each takes milliseconds when right.
const WATCHDOG: Duration = Duration::from_secs(3);

/// Runs `scenario` on a thread of its own and returns its result, or fails
/// the test if it panicked or has not finished within [`WATCHDOG`].
fn within<T: Send + 'static>(what: &str, scenario: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = std_mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(scenario());
    });
    match result.recv_timeout(WATCHDOG) {
        Ok(value) => value,
        Err(std_mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what}: no answer within {WATCHDOG:?}, a deadlock: the thread that waits is \
             the one the future (or a task it waits for) needed"
        ),
        Err(std_mpsc::RecvTimeoutError::Disconnected) => panic!(
            "{what}: it panicked (see the message above); the helper must not let a \
             panic escape"
        ),
    }
}

fn multi_thread(workers: usize) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a runtime builds")
}

fn current_thread() -> Runtime {
    Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime builds")
}

/// A future that needs a runtime's timer, then answers 42.
async fn answer() -> u32 {
    tokio::time::sleep(Duration::from_millis(5)).await;
    42
}

/// Sync code that needs the answer: what the tests call from each context.
fn sync_answer() -> Result<u32, BlockOnError> {
    block_on(answer())
}

/// A future that records whether it was ever polled.
async fn noting_the_poll(polled: Arc<AtomicBool>) -> u32 {
    polled.store(true, Ordering::SeqCst);
    1
}

// --- no runtime: plain sync code ------------------------------------------

/// From plain sync code, the future runs and its answer comes back.
#[test]
fn from_plain_sync_code_it_runs_the_future() {
    let answer = within("block_on from sync code", sync_answer);

    assert_eq!(answer.ok(), Some(42));
}

/// From plain sync code, the runtime made for the call has timers and I/O,
/// like the one `#[tokio::main]` makes.
#[test]
fn from_plain_sync_code_timers_and_io_work() {
    let bound = within("block_on from sync code", || {
        block_on(async {
            tokio::time::sleep(Duration::from_millis(1)).await;
            tokio::net::TcpListener::bind("127.0.0.1:0").await.is_ok()
        })
    });

    assert_eq!(
        bound.ok(),
        Some(true),
        "build the runtime with its drivers enabled (enable_all)"
    );
}

/// From plain sync code, the runtime made for the call is a current-thread
/// one: the calling thread drives it, and no pool of worker threads is
/// started (and stopped) for a single call.
#[test]
fn from_plain_sync_code_no_thread_pool_is_started_for_the_call() {
    let flavor = within("block_on from sync code", || {
        block_on(async { Handle::current().runtime_flavor() })
    });

    assert_eq!(
        flavor.ok(),
        Some(RuntimeFlavor::CurrentThread),
        "a multi-thread runtime per call starts a worker thread per core, only to wait \
         on the calling thread anyway: build a current-thread one"
    );
}

/// From plain sync code, the future may spawn tasks and wait for them.
#[test]
fn from_plain_sync_code_the_future_can_spawn_and_await_tasks() {
    let sum = within("block_on from sync code", || {
        block_on(async {
            let tasks: Vec<_> = (1..=4u32)
                .map(|i| tokio::spawn(async move { i * i }))
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await.expect("the task does not panic");
            }
            sum
        })
    });

    assert_eq!(sum.ok(), Some(30));
}

/// From plain sync code, the call owns its runtime: a task the future left
/// running has been dropped by the time the call returns (as `asyncio.run`
/// cancels what is left), not left running on some hidden runtime.
#[test]
fn from_plain_sync_code_tasks_left_running_are_dropped_on_return() {
    let (dropped, was_dropped) = std_mpsc::channel::<()>();

    within("block_on from sync code", move || {
        block_on(async move {
            tokio::spawn(async move {
                // Sends nothing, ever: the channel tells only when it is dropped.
                let _dropped_with_the_task = dropped;
                std::future::pending::<()>().await;
            });
            tokio::task::yield_now().await;
        })
        .expect("block_on from sync code works");
    });

    assert_eq!(
        was_dropped.try_recv(),
        Err(std_mpsc::TryRecvError::Disconnected),
        "a task the future left running was still alive after block_on returned: the \
         runtime made for the call must be dropped before the call returns"
    );
}

// --- a multi-thread runtime ---------------------------------------------

/// Inside a task of a multi-thread runtime, sync code gets its answer (where
/// `Runtime::block_on` or `Handle::block_on` would panic).
#[test]
fn inside_a_task_of_a_multi_thread_runtime_it_runs_the_future() {
    let answer = within("block_on inside a multi-thread task", || {
        multi_thread(2).block_on(async { tokio::spawn(async { sync_answer() }).await })
    });

    assert_eq!(answer.expect("the task does not panic").ok(), Some(42));
}

/// In the main future of a multi-thread runtime (the body of a
/// `#[tokio::main]` fn), sync code gets its answer too.
#[test]
fn in_the_main_future_of_a_multi_thread_runtime_it_runs_the_future() {
    let answer = within("block_on in a multi-thread runtime's main future", || {
        multi_thread(2).block_on(async { sync_answer() })
    });

    assert_eq!(answer.ok(), Some(42));
}

/// While the helper waits on a worker thread, that worker's other tasks keep
/// running: with a single worker, the task the future waits for can run
/// only if the helper hands the worker's queue on (`block_in_place` does)
/// instead of blocking it.
#[test]
fn inside_a_multi_thread_runtime_the_workers_other_tasks_keep_running() {
    let answer = within("block_on waiting for a task of the same worker", || {
        multi_thread(1).block_on(async {
            tokio::spawn(async {
                let (send, receive) = oneshot::channel();
                // Queued on this worker, the only one, behind the current task.
                tokio::spawn(async move {
                    let _ = send.send(5);
                });
                block_on(receive)
            })
            .await
        })
    });

    assert_eq!(answer.expect("the task does not panic").ok(), Some(Ok(5)));
}

/// Inside a multi-thread runtime, the future runs on *that* runtime: a task
/// it spawns belongs to it and keeps running after the call returned (a
/// runtime made for the call would drop it).
#[test]
fn inside_a_multi_thread_runtime_spawned_tasks_belong_to_it() {
    let (released, reported) = within("block_on inside a multi-thread task", || {
        multi_thread(2).block_on(async {
            let (report, reported) = oneshot::channel::<&str>();
            let release = tokio::spawn(async move {
                block_on(async move {
                    let (release, released) = oneshot::channel::<()>();
                    tokio::spawn(async move {
                        if released.await.is_ok() {
                            let _ = report.send("background task done");
                        }
                    });
                    release
                })
            })
            .await
            .expect("the task does not panic")
            .expect("block_on inside a multi-thread runtime works");
            // Both fail at once if the background task is gone: its ends of
            // the two channels went with it.
            (release.send(()).is_ok(), reported.await.ok())
        })
    });

    assert!(
        released,
        "the task spawned by the future is gone once block_on returned: the future ran \
         on a runtime made for the call, not on the one it was called in"
    );
    assert_eq!(reported, Some("background task done"));
}

/// On a `spawn_blocking` thread of a multi-thread runtime, sync code gets its
/// answer.
#[test]
fn on_a_blocking_thread_of_a_multi_thread_runtime_it_runs_the_future() {
    let answer = within("block_on on a spawn_blocking thread", || {
        multi_thread(2).block_on(async { tokio::task::spawn_blocking(sync_answer).await })
    });

    assert_eq!(
        answer.expect("the blocking job does not panic").ok(),
        Some(42)
    );
}

/// Calls nest: sync code calls async code that calls sync code that calls
/// async code, all inside one multi-thread runtime.
#[test]
fn inside_a_multi_thread_runtime_calls_nest() {
    let answer = within("block_on nested in block_on", || {
        multi_thread(2)
            .block_on(async { tokio::spawn(async { block_on(async { sync_answer() }) }).await })
    });

    assert_eq!(
        answer
            .expect("the task does not panic")
            .ok()
            .and_then(Result::ok),
        Some(42)
    );
}

// --- a current-thread runtime -------------------------------------------

/// Inside a task of a current-thread runtime, the helper refuses, at once,
/// without running the future, and without a panic.
#[test]
fn inside_a_current_thread_runtime_it_refuses_without_running_the_future() {
    let polled = Arc::new(AtomicBool::new(false));

    let future_polled = Arc::clone(&polled);
    let answer = within("block_on inside a current-thread task", move || {
        let runtime = current_thread();
        let answer = runtime.block_on(async move {
            tokio::spawn(async { block_on(noting_the_poll(future_polled)) }).await
        });
        answer.expect("the task does not panic")
    });

    assert!(
        matches!(answer, Err(BlockOnError::CurrentThreadRuntime)),
        "inside a current-thread runtime the helper must refuse with \
         CurrentThreadRuntime, got {answer:?}"
    );
    assert!(
        !polled.load(Ordering::SeqCst),
        "the future was polled although the helper refused to run it"
    );
}

/// In the main future of a current-thread runtime (a `#[tokio::test]` or
/// `#[tokio::main(flavor = "current_thread")]` body), it refuses too.
#[test]
fn in_the_main_future_of_a_current_thread_runtime_it_refuses() {
    let answer = within("block_on in a current-thread runtime's main future", || {
        current_thread().block_on(async { sync_answer() })
    });

    assert!(
        matches!(answer, Err(BlockOnError::CurrentThreadRuntime)),
        "got {answer:?}"
    );
}

/// The refusal is a dead end for nothing: the runtime goes on, and the same
/// future can be awaited there (the fix the error message suggests).
#[test]
fn after_a_refusal_the_current_thread_runtime_carries_on() {
    let answers = within("block_on, then await", || {
        current_thread().block_on(async {
            let refused = sync_answer();
            (refused.is_err(), answer().await)
        })
    });

    assert_eq!(answers, (true, 42));
}

/// On a `spawn_blocking` thread of a current-thread runtime, the helper
/// refuses as well: tokio tells it only the runtime's flavor, not whether
/// this thread is the one that drives it.
#[test]
fn on_a_blocking_thread_of_a_current_thread_runtime_it_refuses() {
    let answer = within("block_on on a current-thread spawn_blocking thread", || {
        current_thread().block_on(async { tokio::task::spawn_blocking(sync_answer).await })
    });

    assert!(
        matches!(
            answer.expect("the blocking job does not panic"),
            Err(BlockOnError::CurrentThreadRuntime)
        ),
        "the helper must refuse wherever a current-thread runtime is current"
    );
}
