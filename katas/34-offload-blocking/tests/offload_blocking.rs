//! Kata 34 tests: a blocking call moved off the async worker.
//!
//! These tests use *real* time, not tokio's paused clock: the blocking calls
//! block real OS threads, and the paused clock cannot see them (it does not
//! move while a `spawn_blocking` job runs). Every `#[tokio::test]` here runs on
//! a current-thread runtime: one async worker, the test's own thread, so a
//! call that blocks it stops every other task of the test.
//!
//! No test measures a duration. The service holds its answers back until the
//! test releases them, and the test releases them from a task on the same
//! runtime: a call that blocks the worker is never released, and gives up
//! after the client's read timeout. Order and counts prove the rest.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use offload_blocking::{LegacyClient, LegacyError, READ_TIMEOUT, Remote, get, to_thread};
use tokio::task::JoinHandle;

/// Long enough for any right answer; a hang fails here instead of stalling
/// the run.
const LIMIT: Duration = Duration::from_secs(5);

/// How long four calls made together get to be waiting all at once: far more
/// than starting four threads takes on a loaded machine, and less than the
/// client's read timeout, so that calls made one after another cannot get
/// there by giving up early.
const RENDEZVOUS: Duration = Duration::from_millis(800);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// The directory the remote service knows.
fn directory() -> Arc<Remote> {
    Remote::new([
        ("ada", "Ada Lovelace"),
        ("alan", "Alan Turing"),
        ("grace", "Grace Hopper"),
        ("edsger", "Edsger Dijkstra"),
    ])
}

/// The service with its answers held back, and a client of it.
fn held_service() -> (Arc<Remote>, Arc<LegacyClient>) {
    let remote = directory();
    remote.hold();
    let client = Arc::new(LegacyClient::new(Arc::clone(&remote)));
    (remote, client)
}

fn found(name: &str) -> Result<String, LegacyError> {
    Ok(name.to_owned())
}

async fn within_limit<T>(what: &str, work: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, work)
        .await
        .unwrap_or_else(|_| panic!("{what} never finished"))
}

/// Stops a background task and re-raises its panic, if it had one: a panic
/// in a detached task would not fail the test.
async fn stop(task: JoinHandle<()>) {
    task.abort();
    if let Err(error) = task.await
        && error.is_panic()
    {
        std::panic::resume_unwind(error.into_panic());
    }
}

/// The function's value comes back, whatever its type.
#[tokio::test]
async fn to_thread_returns_the_functions_value() {
    assert_eq!(within_limit("to_thread", to_thread(|| 6 * 7)).await, 42);

    let words = [String::from("blocking"), String::from("code")];
    let joined = within_limit("to_thread", to_thread(move || words.join(" "))).await;

    assert_eq!(joined, "blocking code");
}

/// The function runs on another OS thread, not on the async worker.
#[tokio::test]
async fn to_thread_runs_the_function_on_another_thread() {
    let worker = thread::current().id();

    let ran_on = within_limit("to_thread", to_thread(|| thread::current().id())).await;

    assert_ne!(
        ran_on, worker,
        "the function ran on the async worker thread, where blocking stops every task"
    );
}

/// A panic in the function reaches the task that awaits it as it was: the
/// same payload, not a new panic about a `JoinError`. The runtime goes on.
#[tokio::test]
async fn a_panic_in_the_function_reaches_the_caller_unchanged() {
    let caller = tokio::spawn(to_thread(|| -> u32 { panic!("disk on fire") }));

    let error = within_limit("the panicking call", caller)
        .await
        .expect_err("the function panicked, so the task awaiting it must panic too");

    assert!(error.is_panic(), "the caller was cancelled, not panicked");
    let payload = error.into_panic();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
    assert_eq!(
        message,
        Some("disk on fire"),
        "the caller's panic must carry the function's own payload: resume it \
         (std::panic::resume_unwind) instead of unwrapping the JoinError"
    );
    assert_eq!(
        within_limit("to_thread after a panic", to_thread(|| 1)).await,
        1,
        "a panic in one call must not break the next"
    );
}

/// `get` gives the client's answer, an error included, unchanged.
#[tokio::test]
async fn get_gives_the_clients_answer() {
    let client = Arc::new(LegacyClient::new(directory()));

    let ada = within_limit("get", get(&client, "ada")).await;
    let nobody = within_limit("get", get(&client, "nobody")).await;

    assert_eq!(ada, found("Ada Lovelace"));
    assert_eq!(
        nobody,
        Err(LegacyError::NotFound("nobody".to_owned())),
        "the client's own error must come back as it is"
    );
    assert_eq!(client.calls().len(), 2, "one call of the client per get");
}

/// The client's blocking call runs on another thread, not on the async
/// worker.
#[tokio::test]
async fn get_blocks_another_thread_not_the_worker() {
    let worker = thread::current().id();
    let client = Arc::new(LegacyClient::new(directory()));

    within_limit("get", get(&client, "grace")).await.ok();

    let calls = client.calls();
    assert_eq!(calls.len(), 1, "one get, one call of the client");
    assert_ne!(
        calls[0].thread, worker,
        "the blocking call ran on the async worker thread"
    );
}

/// The heart of the kata. The service holds its answer back, and a heartbeat
/// task on the same runtime, beating every 5 ms, releases it at its fifth
/// beat. With the call off the worker, the heartbeat keeps beating while the
/// call waits, and the call gets its answer. With the call on the worker, the
/// heartbeat never beats again, nothing releases the answer, and the call
/// gives up after its read timeout.
#[tokio::test]
async fn the_heartbeat_keeps_beating_while_a_call_blocks() {
    const RELEASE_AT: usize = 5;
    let (remote, client) = held_service();
    let beats = Arc::new(AtomicUsize::new(0));
    let heartbeat = tokio::spawn({
        let remote = Arc::clone(&remote);
        let beats = Arc::clone(&beats);
        async move {
            let mut interval = tokio::time::interval(ms(5));
            loop {
                interval.tick().await;
                if beats.fetch_add(1, Ordering::SeqCst) + 1 == RELEASE_AT {
                    remote.release();
                }
            }
        }
    });

    // The heartbeat has not run yet: it gets its first turn when this task
    // first waits, so every beat it makes comes during the call.
    let answer = within_limit("get", get(&client, "ada")).await;
    let beats_during_the_call = beats.load(Ordering::SeqCst);

    stop(heartbeat).await;
    assert_eq!(
        answer,
        found("Ada Lovelace"),
        "the call gave up waiting ({READ_TIMEOUT:?}): the heartbeat that releases its answer \
         beat {beats_during_the_call} times, not {RELEASE_AT}, because the blocking call \
         held the async worker"
    );
    assert!(
        beats_during_the_call >= RELEASE_AT,
        "the heartbeat beat only {beats_during_the_call} times during the call"
    );
}

/// A caller that stops waiting (here a `select!`, as soon as the call is
/// known to be blocked in its thread) gets control back at once. The blocking
/// call it started is not interrupted, as nothing can interrupt a blocking
/// call: it runs on in its thread, and ends when its answer comes.
#[tokio::test]
async fn a_caller_that_gives_up_is_not_kept_waiting() {
    let (remote, client) = held_service();

    let gave_up = tokio::select! {
        biased;
        answer = get(&client, "ada") => panic!(
            "the call answered {answer:?} although its answer was held back: it blocked \
             the async worker until its read timeout, and the caller could not give up"
        ),
        () = remote.until_waiting(1) => true,
        () = tokio::time::sleep(LIMIT) => false,
    };

    assert!(gave_up, "the call never reached the service");
    assert_eq!(
        remote.waiting(),
        1,
        "giving up on the future must leave the blocking call waiting in its thread"
    );
    remote.release();
    within_limit("the abandoned call", client.until_finished(1)).await;
    let calls = client.calls();
    assert_eq!(
        calls[0].answer,
        found("Ada Lovelace"),
        "the abandoned call runs on to its end and gets its answer"
    );
}

/// Four calls made together wait for their answers together, each on a
/// thread of its own: moving calls off the worker must not queue them behind
/// one another (one helper thread for every blocking call would).
#[tokio::test]
async fn calls_made_together_wait_together() {
    let (remote, client) = held_service();
    let calls = async {
        tokio::join!(
            get(&client, "ada"),
            get(&client, "alan"),
            get(&client, "grace"),
            get(&client, "edsger"),
        )
    };
    let release = async {
        let all_waiting = tokio::time::timeout(RENDEZVOUS, remote.until_waiting(4))
            .await
            .is_ok();
        remote.release();
        all_waiting
    };

    let (answers, all_waiting) =
        within_limit("four calls", async { tokio::join!(calls, release) }).await;

    assert!(
        all_waiting,
        "the four calls were never waiting at the same time: they ran one after another"
    );
    assert_eq!(
        answers,
        (
            found("Ada Lovelace"),
            found("Alan Turing"),
            found("Grace Hopper"),
            found("Edsger Dijkstra"),
        )
    );
}

/// Calls in a row reuse threads: a blocking call should not pay for a new
/// OS thread (its creation, its stack) every time.
#[tokio::test]
async fn calls_in_a_row_reuse_threads() {
    const CALLS: usize = 40;
    let mut threads = HashSet::new();

    for _ in 0..CALLS {
        threads.insert(within_limit("to_thread", to_thread(|| thread::current().id())).await);
    }

    assert!(
        threads.len() <= CALLS / 2,
        "{CALLS} calls in a row ran on {} different threads: a new OS thread for every call, \
         where a pool would have reused the threads that had finished",
        threads.len()
    );
}
