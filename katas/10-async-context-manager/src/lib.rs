//! Kata 10: async context managers.
//!
//! Python's `async with` awaits the cleanup (`__aexit__`) whatever way the
//! block ends. Rust has no `async with` and no async `Drop`, so you write the
//! scoped helpers yourself:
//!
//! * [`with_resource`]: open a [`Resource`], run a body with it, and always
//!   close it: after `Ok`, after `Err`, and after a panic;
//! * [`transaction`]: run a body in a database [`Transaction`], commit on `Ok`,
//!   roll back on `Err` or panic;
//! * [`transfer`]: move money between two accounts using [`transaction`].
//!
//! [`Log`], [`Resource`], [`Database`] and [`Transaction`] are given, in
//! `src/given.rs`: this file holds only what you write.
//!
//! Run the tests with `cargo test -p async-context-manager`, or `cargo xtask watch`.

use std::future::Future;

mod given;
pub use given::{Database, Log, Resource, STEP, Transaction};

/// Opens a resource, runs `body` with it, and always closes it: the async
/// `with` block.
///
/// Returns what the body returns. If `open` fails, the body does not run and
/// there is nothing to close. If the body panics, the resource is closed and
/// the panic continues to the caller.
pub async fn with_resource<T>(
    open: impl Future<Output = anyhow::Result<Resource>>,
    body: impl AsyncFnOnce(&mut Resource) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    // TODO: await `open`; run `body(&mut resource)` so that neither an `Err`
    // nor a panic skips the close (`futures::FutureExt::catch_unwind`, with
    // `std::panic::AssertUnwindSafe`); await `resource.close()`; then return
    // the body's result, or resume the panic (`std::panic::resume_unwind`).
    let _ = (open, body);
    todo!("open, run the body, and always close")
}

/// Runs `body` in a transaction: commits if it returns `Ok`, rolls back if it
/// returns `Err` or panics.
///
/// Returns what the body returns; a panic continues to the caller after the
/// rollback.
pub async fn transaction<T>(
    db: &Database,
    body: impl AsyncFnOnce(&mut Transaction<'_>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    // TODO: `db.begin()`, run the body as in `with_resource`, then `commit` on
    // `Ok` and `rollback` on `Err` or panic, before returning or resuming.
    let _ = body;
    todo!("run a body in a transaction on {db:?}")
}

/// Moves `amount` from account `from` to account `to`, all or nothing.
///
/// A transfer of zero, or from an account to itself, succeeds and changes no
/// balance.
///
/// # Errors
/// If either account does not exist, `amount` is negative, `from` holds less
/// than `amount`, or `to`'s new balance would not fit in an `i64`; then no
/// balance changes.
pub async fn transfer(db: &Database, from: &str, to: &str, amount: i64) -> anyhow::Result<()> {
    // TODO: inside `transaction(db, async |tx| { ... })`, debit `from` and
    // credit `to` with `tx.balance` and `tx.set_balance`, failing with an
    // error (`anyhow::bail!`) in each case listed under "Errors" above.
    todo!("move {amount} from {from:?} to {to:?} in {db:?}")
}
