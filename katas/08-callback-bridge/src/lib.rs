//! Kata 08: a bridge from a callback API to an `async fn`.
//!
//! The [`LegacyClient`] (given) is an old callback-based library: `lookup`
//! returns at once and, some time later, calls your callback from an OS
//! thread of its own. Write the async [`lookup`] on top of it: it returns the
//! value the callback receives, suspends the task (never blocks the thread)
//! while it waits, gives up with [`BridgeError::TimedOut`] after a limit, and
//! stays calm when the legacy code misbehaves (see [`Behaviour`]).
//!
//! The client, its [`Behaviour`]s and [`BridgeError`] are given, in
//! `src/given.rs`: you do not need to change them.
//!
//! Run the tests with `cargo test -p callback-bridge`, or `cargo xtask watch`.

mod given;
pub use given::{Behaviour, BridgeError, LegacyClient};

use std::time::Duration;

/// Looks `key` up through the callback API and returns the value the callback
/// receives, or an error if it does not come within `limit`.
///
/// While it waits, the task is suspended: other tasks, and other lookups, run.
pub async fn lookup(
    client: &LegacyClient,
    key: &str,
    limit: Duration,
) -> Result<String, BridgeError> {
    // TODO: make a channel whose sending half the callback can use (the callback
    // runs on another thread, and may be called twice, or never), start the
    // legacy lookup, then await the answer without blocking, for at most `limit`.
    let _ = client;
    todo!("look {key:?} up, waiting at most {limit:?}")
}
