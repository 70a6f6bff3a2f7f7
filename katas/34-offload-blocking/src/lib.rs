//! Kata 34: run blocking code without blocking the async worker.
//!
//! A [`LegacyClient`] (given, in `src/given.rs`) has a blocking API only: its
//! `get` keeps the calling thread waiting until the [`Remote`] service
//! answers. Called from an async task, it would freeze the worker thread and
//! every other task on it. Write [`to_thread`], tokio's answer to Python's
//! `asyncio.to_thread`, and [`get`], which uses it to call the client without
//! blocking anyone.
//!
//! Run the tests with `cargo test -p offload-blocking`, or `cargo xtask watch`.

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
    // TODO: hand `f` to tokio's pool of threads for blocking work, and await
    // its result; a panic in `f` must reach the caller as it was.
    let _f = f;
    todo!("run a blocking function on another thread")
}

/// Looks `key` up with the blocking `client`, on another thread: the async
/// worker stays free while the call waits for its answer.
///
/// # Errors
/// Whatever [`LegacyClient::get`] answers, unchanged.
pub async fn get(client: &Arc<LegacyClient>, key: &str) -> Result<String, LegacyError> {
    // TODO: the blocking call runs on another thread and may outlive this
    // borrow, so give it its own handle on the client and its own key.
    let _client = client;
    todo!("look {key:?} up without blocking the async worker")
}
