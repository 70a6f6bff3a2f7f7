//! Kata 34, reference solution: run blocking code without blocking the async
//! worker.
//!
//! A task gives its worker thread back only at an `.await`. A blocking call
//! has none: while it waits, the worker waits with it, and every timer, socket
//! and task on that worker stops (all of them, on a current-thread runtime).
//! The fix is to move the call to a thread that is *allowed* to block.
//! [`to_thread`] hands it to tokio's blocking pool with `spawn_blocking`, and
//! the task awaits the `JoinHandle`, which parks the task, not the thread.
//! [`get`] is the same move for the given [`LegacyClient`].

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/34-offload-blocking/src/given.rs"]
mod given;
pub use given::{Call, LegacyClient, LegacyError, READ_TIMEOUT, Remote};

use std::sync::Arc;

/// Runs the blocking function `f` on a thread meant for blocking work, and
/// waits for its value without blocking the async worker that awaits this
/// future (Python's `asyncio.to_thread`). Threads are reused from call to
/// call, not created afresh for each.
///
/// # Panics
/// If `f` panics: the same panic, with its payload unchanged, in the task that
/// awaits this future.
pub async fn to_thread<F, T>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // `spawn_blocking` queues `f` on tokio's blocking pool: an idle pool
    // thread takes it, or the pool starts a new one (up to 512 by default).
    // Idle threads wait ten seconds for more work before they exit, so calls
    // in a row reuse them. The call starts at once; awaiting the handle parks
    // this task until the value is there, and the worker runs other tasks
    // meanwhile.
    //
    // Dropping this future (a timeout, a `select!`) drops only the handle:
    // the blocking call cannot be interrupted and runs on to its end, its
    // value thrown away. Python's `to_thread` behaves the same.
    match tokio::task::spawn_blocking(f).await {
        Ok(value) => value,
        // `f` panicked on the pool thread. Resuming the very payload makes
        // the panic look to the caller as if `f` had run in place: the same
        // message, the same type for `catch_unwind` to inspect. (`unwrap()`
        // would panic with a new message about a `JoinError` instead.)
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        // A blocking job cannot be aborted; it is cancelled only when the
        // runtime shuts down before a pool thread took it, and then there is
        // no value to return.
        Err(error) => panic!("the blocking call never ran: {error}"),
    }
}

/// Looks `key` up with the blocking `client`, on another thread: the async
/// worker stays free while the call waits for its answer.
///
/// # Errors
/// Whatever [`LegacyClient::get`] answers, unchanged.
pub async fn get(client: &Arc<LegacyClient>, key: &str) -> Result<String, LegacyError> {
    // The closure runs on another thread and may outlive this call (if the
    // caller gives up, it runs on), so it must be `'static`: it cannot borrow
    // `client` or `key`. It gets a handle of its own on the client (that is
    // what the `Arc` is for) and its own copy of the key.
    let client = Arc::clone(client);
    let key = key.to_owned();
    to_thread(move || client.get(&key)).await
}
