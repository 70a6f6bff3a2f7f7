//! Kata 35 tests: an async facade over a blocking, `!Send` client that lives
//! on a thread of its own.
//!
//! These tests use *real* time, not tokio's paused clock: the client blocks a
//! real OS thread, which the paused clock cannot see. Most run on a
//! current-thread runtime (one async worker, the test's own thread); one runs
//! on four worker threads.
//!
//! No test measures a duration. The database holds commands back until the
//! test releases them, the tests wait for counts (commands waiting, client
//! threads ended) that the given code publishes, and order and counts prove
//! the rest. Every wait is bounded, so a wrong answer fails instead of
//! hanging.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use sync_client_facade::{Command, Database, DbError, DbHandle, FacadeError, READ_TIMEOUT, Reply};
use tokio::task::JoinHandle;
use tokio_test::{assert_pending, task};

/// Long enough for any right answer; a hang fails here instead of stalling
/// the run.
const LIMIT: Duration = Duration::from_secs(5);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

async fn within_limit<T>(what: &str, work: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, work)
        .await
        .unwrap_or_else(|_| panic!("{what} never finished"))
}

async fn connected(db: &Database) -> DbHandle {
    within_limit("connect", DbHandle::connect(db))
        .await
        .expect("the database accepts connections")
}

/// Waits until the client's thread has ended; fails if it never does.
async fn client_thread_ends(db: &Database, why: &str) {
    tokio::time::timeout(LIMIT, db.until_client_threads_ended(1))
        .await
        .unwrap_or_else(|_| panic!("the client's thread never ended: {why}"));
}

/// Drops a handle. (A plain `drop` call reads the same, but clippy flags it
/// for a skeleton whose handle holds nothing yet.)
fn let_go(_handle: DbHandle) {}

fn value(value: &str) -> Result<Reply, FacadeError> {
    Ok(Reply::Value(Some(value.to_owned())))
}

/// The heartbeat's beat at which it releases the database.
const RELEASE_AT: usize = 5;

/// A heartbeat task on this runtime: it beats every 5 ms, and releases the
/// database at its fifth beat. It counts its beats.
fn release_at_the_fifth_beat(db: &Database) -> (JoinHandle<()>, Arc<AtomicUsize>) {
    let beats = Arc::new(AtomicUsize::new(0));
    let task = tokio::spawn({
        let db = db.clone();
        let beats = Arc::clone(&beats);
        async move {
            let mut interval = tokio::time::interval(ms(5));
            loop {
                interval.tick().await;
                if beats.fetch_add(1, Ordering::SeqCst) + 1 == RELEASE_AT {
                    db.release();
                }
            }
        }
    });
    (task, beats)
}

/// Stops the heartbeat, re-raises its panic if it had one, and says how many
/// times it beat.
async fn stop((task, beats): (JoinHandle<()>, Arc<AtomicUsize>)) -> usize {
    task.abort();
    if let Err(error) = task.await
        && error.is_panic()
    {
        std::panic::resume_unwind(error.into_panic());
    }
    beats.load(Ordering::SeqCst)
}

/// Awaits a task and re-raises its panic, so that a failed assertion inside a
/// spawned task fails the test.
async fn join<T>(handle: JoinHandle<T>) -> T {
    match within_limit("a task", handle).await {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// `connect` returns once the client is connected, and not before: while
/// the database holds the connection, `connect` is still waiting.
#[tokio::test]
async fn connect_returns_once_the_client_is_connected() {
    let db = Database::new();
    db.hold();

    let mut connecting = task::spawn(DbHandle::connect(&db));
    assert_pending!(
        connecting.poll(),
        "`connect` returned before the client had connected"
    );
    within_limit("the connection to reach the database", db.until_waiting(1)).await;
    assert_pending!(
        connecting.poll(),
        "`connect` returned while the client was still connecting: it must wait for the \
         thread's word"
    );
    db.release();
    let handle = within_limit("connect", connecting).await;

    assert!(handle.is_ok(), "the database accepts connections");
    assert_eq!(db.connections(), 1, "one handle, one connection");
    assert_eq!(db.open_connections(), 1);
}

/// A refused connection is an error for the caller, and the thread that
/// tried it ends.
#[tokio::test]
async fn a_refused_connection_is_an_error_and_its_thread_ends() {
    let db = Database::new();
    db.refuse_connections();

    let result = within_limit("connect", DbHandle::connect(&db)).await;

    assert_eq!(
        result.err(),
        Some(FacadeError::Db(DbError::Refused)),
        "`connect` must wait for the thread to say whether the client connected"
    );
    client_thread_ends(&db, "nothing is left for it to do").await;
}

/// Connecting does not block the worker either: the database holds the
/// connection, and a heartbeat task on the same runtime releases it at its
/// fifth beat. A `connect` that blocks the worker while the thread connects
/// stops the heartbeat, and the connection waits out its read timeout.
#[tokio::test]
async fn connecting_leaves_the_worker_free() {
    let db = Database::new();
    db.hold();
    let heartbeat = release_at_the_fifth_beat(&db);

    let result = within_limit("connect", DbHandle::connect(&db)).await;

    let beats = stop(heartbeat).await;
    assert!(
        result.is_ok(),
        "the connection waited out its read timeout ({READ_TIMEOUT:?}): the heartbeat that \
         releases it beat {beats} times, not {RELEASE_AT}, because `connect` blocked the async \
         worker while the thread connected"
    );
}

/// Commands run, and each reply is the command's own.
#[tokio::test]
async fn execute_returns_the_commands_reply() {
    let db = Database::new();
    let handle = connected(&db).await;

    let set = within_limit("set", handle.execute(Command::set("lang", "rust"))).await;
    let get = within_limit("get", handle.execute(Command::get("lang"))).await;
    let missing = within_limit("get", handle.execute(Command::get("nothing"))).await;

    assert_eq!(set, Ok(Reply::Done));
    assert_eq!(get, value("rust"));
    assert_eq!(missing, Ok(Reply::Value(None)));
}

/// Every command runs on one thread, the one that connected the client: not
/// the async worker, and not a thread per command.
#[tokio::test]
async fn every_command_runs_on_the_clients_own_thread() {
    let db = Database::new();
    let handle = connected(&db).await;

    for round in 0..5 {
        let key = format!("k{round}");
        within_limit("set", handle.execute(Command::set(&key, "v")))
            .await
            .ok();
    }

    let executed = db.executed();
    assert_eq!(executed.len(), 5, "five commands, five executions");
    assert!(
        executed.iter().all(|e| e.reply == Ok(Reply::Done)),
        "every command must run where the client connected: {executed:?}"
    );
    let threads: HashSet<_> = executed.iter().map(|e| e.thread).collect();
    assert_eq!(
        threads.len(),
        1,
        "the commands ran on {} threads",
        threads.len()
    );
    assert!(
        !threads.contains(&thread::current().id()),
        "the commands ran on the async worker thread"
    );
    assert_eq!(db.connections(), 1, "one client serves every command");
}

/// Ten callers ask at once, while the database is held: their commands queue
/// up and run one at a time, in the order they were asked for.
#[tokio::test]
async fn callers_are_served_in_the_order_they_asked() {
    let db = Database::new();
    let handle = connected(&db).await;
    db.hold();
    let commands: Vec<Command> = (0..10)
        .map(|i| Command::set(&format!("k{i}"), &i.to_string()))
        .collect();

    // Each call sends its command when first polled: here, in order.
    let mut calls: Vec<_> = commands
        .iter()
        .map(|command| task::spawn(handle.execute(command.clone())))
        .collect();
    for call in &mut calls {
        assert_pending!(call.poll(), "the database is held: no reply can come yet");
    }
    within_limit(
        "the first command to reach the database",
        db.until_waiting(1),
    )
    .await;
    db.release();
    for call in calls {
        assert_eq!(within_limit("a call", call).await, Ok(Reply::Done));
    }

    assert_eq!(
        db.log(),
        commands,
        "the commands must run in the order the callers asked"
    );
}

/// The worker stays free while a command waits: the database holds the
/// command, and a heartbeat task on the same runtime releases it at its fifth
/// beat. A caller that blocks the worker while it waits for the reply stops
/// the heartbeat, and the command waits out its read timeout.
#[tokio::test]
async fn the_worker_stays_free_while_a_command_waits() {
    let db = Database::new();
    let handle = connected(&db).await;
    db.hold();
    let heartbeat = release_at_the_fifth_beat(&db);

    let reply = within_limit("set", handle.execute(Command::set("k", "v"))).await;

    let beats = stop(heartbeat).await;
    assert_eq!(
        reply,
        Ok(Reply::Done),
        "the command waited out its read timeout ({READ_TIMEOUT:?}): the heartbeat that \
         releases it beat {beats} times, not {RELEASE_AT}, because the caller blocked the \
         async worker while it waited for the reply"
    );
}

/// Eight tasks on four worker threads share clones of one handle, each
/// setting and reading back its own key: every reply reaches the caller that
/// asked, all on one connection and one client thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replies_reach_their_own_callers_across_threads() {
    const TASKS: usize = 8;
    const ROUNDS: usize = 20;
    let db = Database::new();
    let handle = connected(&db).await;

    let tasks: Vec<JoinHandle<()>> = (0..TASKS)
        .map(|t| {
            let handle = handle.clone();
            tokio::spawn(async move {
                let key = format!("task{t}");
                for round in 0..ROUNDS {
                    let mine = format!("{t}:{round}");
                    let set = handle.execute(Command::set(&key, &mine)).await;
                    assert_eq!(set, Ok(Reply::Done), "task {t}, round {round}");
                    let got = handle.execute(Command::get(&key)).await;
                    assert_eq!(
                        got,
                        value(&mine),
                        "task {t} read back another caller's reply, or a stale value"
                    );
                }
            })
        })
        .collect();
    for task in tasks {
        join(task).await;
    }

    let executed = db.executed();
    assert_eq!(executed.len(), TASKS * ROUNDS * 2);
    let threads: HashSet<_> = executed.iter().map(|e| e.thread).collect();
    assert_eq!(
        threads.len(),
        1,
        "the client was used on {} threads",
        threads.len()
    );
    assert_eq!(db.connections(), 1, "clones share the one client");
}

/// A caller that gives up while its command is still queued (here behind a
/// held one) takes the command back: it never runs. Python's executors do
/// the same with a future cancelled before it started.
#[tokio::test]
async fn a_command_whose_caller_gave_up_does_not_run() {
    let db = Database::new();
    let handle = connected(&db).await;
    db.hold();
    let mut first = task::spawn(handle.execute(Command::set("first", "1")));
    assert_pending!(first.poll());
    within_limit(
        "the first command to reach the database",
        db.until_waiting(1),
    )
    .await;

    let mut abandoned = task::spawn(handle.execute(Command::set("abandoned", "2")));
    assert_pending!(abandoned.poll(), "queued behind a held command");
    drop(abandoned);
    db.release();
    assert_eq!(within_limit("the first call", first).await, Ok(Reply::Done));
    let after = within_limit("get", handle.execute(Command::get("abandoned"))).await;

    assert_eq!(
        after,
        Ok(Reply::Value(None)),
        "the abandoned command ran although its caller had gone before its turn"
    );
    assert_eq!(
        db.log(),
        [Command::set("first", "1"), Command::get("abandoned")],
        "skip a request whose reply nobody waits for (`oneshot::Sender::is_closed`)"
    );
}

/// The thread ends when the *last* handle is dropped: dropping one clone
/// leaves the client serving the others; dropping the last one ends the
/// thread, with the client closed on it.
#[tokio::test]
async fn the_thread_ends_when_the_last_handle_is_dropped() {
    let db = Database::new();
    let first = connected(&db).await;
    let second = first.clone();

    let_go(first);
    let still_served = within_limit("set", second.execute(Command::set("k", "v"))).await;

    assert_eq!(
        still_served,
        Ok(Reply::Done),
        "dropping one clone must not stop the client: another handle still uses it"
    );
    assert_eq!(db.client_threads_ended(), 0);
    let_go(second);
    client_thread_ends(
        &db,
        "every handle is dropped; the thread must notice (its channel closes) and return",
    )
    .await;
    assert_eq!(
        db.open_connections(),
        0,
        "the client must be dropped with its thread"
    );
    assert_eq!(db.connections(), 1);
}

/// Dropping the last handle never blocks the dropping task: it does not wait
/// for a command still running. Here the command is held when the handle
/// goes, and the test releases it only after the drop: a drop that waited
/// for the thread would keep the command held until its read timeout.
#[tokio::test]
async fn dropping_the_last_handle_does_not_wait_for_the_thread() {
    let db = Database::new();
    let handle = connected(&db).await;
    db.hold();
    let mut running = task::spawn(handle.execute(Command::set("k", "v")));
    assert_pending!(running.poll());
    within_limit("the command to reach the database", db.until_waiting(1)).await;
    drop(running);

    let_go(handle);
    db.release();

    client_thread_ends(&db, "its last handle is gone and its command finished").await;
    let executed = db.executed();
    assert_eq!(
        executed.last().map(|e| e.reply.clone()),
        Some(Ok(Reply::Done)),
        "the command timed out: dropping the handle blocked this task until the thread \
         finished (a `join` in `Drop`), so the release came too late"
    );
}

/// A caller that gives up on `connect` leaves no thread behind: the thread
/// connects, finds that no handle exists, and ends.
#[tokio::test]
async fn a_connect_given_up_leaves_no_thread() {
    let db = Database::new();

    let mut connecting = task::spawn(DbHandle::connect(&db));
    let _ = connecting.poll();
    drop(connecting);

    client_thread_ends(
        &db,
        "its `connect` was given up, so no handle will ever use it",
    )
    .await;
    assert_eq!(db.open_connections(), 0);
}

/// A panic in the client ends its thread, and every caller then waiting
/// (the one whose command crashed, and those queued behind it) and every
/// later caller gets `Gone` at once: no hang, no panic.
#[tokio::test]
async fn a_crash_in_the_client_fails_every_waiting_caller() {
    let db = Database::new();
    let handle = connected(&db).await;
    db.hold();
    let mut crashing = task::spawn(handle.execute(Command::Crash));
    let mut queued = task::spawn(handle.execute(Command::set("k", "v")));
    assert_pending!(crashing.poll());
    assert_pending!(queued.poll());
    within_limit(
        "the crashing command to reach the database",
        db.until_waiting(1),
    )
    .await;

    db.release();

    assert_eq!(
        within_limit("the crashed call", crashing).await,
        Err(FacadeError::Gone),
        "the caller whose command crashed the client"
    );
    assert_eq!(
        within_limit("the queued call", queued).await,
        Err(FacadeError::Gone),
        "a caller queued behind the crash"
    );
    client_thread_ends(&db, "its client panicked").await;
    assert_eq!(
        within_limit("a later call", handle.execute(Command::get("k"))).await,
        Err(FacadeError::Gone),
        "a call after the crash"
    );
}
