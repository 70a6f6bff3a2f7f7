//! Kata 08, reference solution: a bridge from callbacks to `async fn`.
//!
//! The [`LegacyClient`] is an old callback API: `lookup` returns at once, and
//! some time later, on a thread of its own, it calls the callback with the
//! answer. Async code wants something to `.await` instead. The bridge is a
//! one-shot channel: the callback holds the sending half, the async side
//! awaits the receiving half (kata 07 wrote that channel by hand; here we use
//! `tokio::sync::oneshot`).
//!
//! Three things make the bridge robust, and each is a test:
//!
//! - awaiting the receiver *suspends* the task; it never blocks the worker
//!   thread, so ten lookups wait together;
//! - a `timeout` bounds the wait, because a callback may never fire;
//! - the callback tolerates being called twice, or after the caller gave up,
//!   because we do not control the legacy code that calls it.

use std::time::Duration;

use tokio::sync::oneshot;

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/08-callback-bridge/src/given.rs"]
mod given;
pub use given::{Behaviour, BridgeError, LegacyClient};

/// Looks `key` up through the callback API and returns the value the callback
/// receives, or an error if it does not come within `limit`.
///
/// While it waits, the task is suspended: other tasks, and other lookups, run.
pub async fn lookup(
    client: &LegacyClient,
    key: &str,
    limit: Duration,
) -> Result<String, BridgeError> {
    // The bridge: the callback gets the sender, this task awaits the receiver.
    // A tokio oneshot, not a std mpsc: `rx.await` suspends this task and frees
    // the worker thread, where `std::sync::mpsc::Receiver::recv` would block it
    // (and with it every other task on a current-thread runtime).
    let (tx, rx) = oneshot::channel();

    // `oneshot::Sender::send` takes `self`, but the legacy API may call us more
    // than once, so the callback is `FnMut`: keep the sender in an `Option` and
    // take it on the first call. Later calls find `None` and do nothing.
    let mut tx = Some(tx);
    client.lookup(key, move |value| {
        if let Some(tx) = tx.take() {
            // `send` fails only if the receiver is gone: the caller timed out
            // (or was cancelled) and nobody wants the value any more. That is
            // not an error worth a panic on the legacy thread; drop the value.
            let _ = tx.send(value);
        }
    });

    // A callback may never fire; without a limit this await could last for ever.
    match tokio::time::timeout(limit, rx).await {
        Ok(Ok(value)) => Ok(value),
        // The sender was dropped unused: the legacy code dropped the callback.
        Ok(Err(_closed)) => Err(BridgeError::CallbackDropped),
        // The limit passed first. `timeout` drops `rx`, so a late callback's
        // `send` fails quietly (see above).
        Err(_elapsed) => Err(BridgeError::TimedOut),
    }
}
