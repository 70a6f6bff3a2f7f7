//! Kata 10, reference solution: async context managers.
//!
//! Python's `async with` awaits `__aenter__` before the block and `__aexit__`
//! after it, whatever way the block ends. Rust has no `async with` and no async
//! `Drop`: a destructor cannot `.await`, so asynchronous cleanup (flushing a
//! file, sending `ROLLBACK` to a database) has to be awaited by hand. The usual
//! answer is a *scoped helper* that owns the resource for the duration of a
//! body: it opens, runs the body, and then closes on every way out.
//!
//! There are three ways out of the body, and each needs its own care:
//!
//! * `Ok`: close, then return the value;
//! * `Err`: close, then return the error (a `?` before the close would skip it);
//! * a panic: catch it with `catch_unwind`, close, then resume unwinding with
//!   the very same payload, so the caller still sees the panic.
//!
//! [`with_resource`] does this for a [`Resource`]; [`transaction`] does it for a
//! database [`Transaction`], choosing commit or rollback from the outcome; and
//! [`transfer`] shows a caller writing plain `?` code inside a transaction.

use std::future::Future;
use std::panic::{AssertUnwindSafe, resume_unwind};

use anyhow::{Context, bail};
use futures::FutureExt;

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/10-async-context-manager/src/given.rs"]
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
    // `__aenter__`: a failed open has nothing to clean up, so `?` is right here.
    let mut resource = open.await?;

    // Run the body, catching a panic instead of letting it unwind past the
    // close. `catch_unwind` wants an unwind-safe future; the body holds
    // `&mut Resource`, which is not. `AssertUnwindSafe` is our promise that
    // nobody observes a half-updated value afterwards: the only thing done
    // with the resource after a panic is to close it.
    //
    // No `?` on the body's result: an error must reach the close too.
    let outcome = AssertUnwindSafe(body(&mut resource)).catch_unwind().await;

    // `__aexit__`: runs for `Ok`, `Err` and panic alike, and is *awaited*, so
    // the resource is closed before the caller sees the outcome.
    resource.close().await;

    match outcome {
        Ok(result) => result,
        // Re-raise with the original payload: the caller sees the same panic
        // (and message) as if there had been no helper in between.
        Err(panic) => resume_unwind(panic),
    }
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
    let mut tx = db.begin().await;

    // The same three ways out as in `with_resource`; see the comments there.
    let outcome = AssertUnwindSafe(body(&mut tx)).catch_unwind().await;

    match outcome {
        Ok(Ok(value)) => {
            tx.commit().await;
            Ok(value)
        }
        Ok(Err(error)) => {
            tx.rollback().await;
            Err(error)
        }
        Err(panic) => {
            tx.rollback().await;
            resume_unwind(panic)
        }
    }
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
    // A negative amount would move money from `to` to `from`, past the check
    // on what `from` holds: refuse it before anything starts.
    if amount < 0 {
        bail!("cannot transfer a negative amount ({amount})");
    }

    // Plain `?` code inside: `transaction` turns any early return into a
    // rollback, so a debit staged before a failing credit is never committed.
    transaction(db, async |tx| {
        let held = tx.balance(from)?;
        if held < amount {
            bail!("{from:?} cannot pay {amount}: it holds {held}");
        }
        // Cannot overflow: 0 <= amount <= held.
        tx.set_balance(from, held - amount)?;

        // Read the payee's balance only now, after the debit: when `from` and
        // `to` are the same account, the credit then sees the debited balance
        // and the two cancel out. Reading both balances first would credit
        // the old balance and create `amount` out of nothing.
        let credited = tx
            .balance(to)?
            .checked_add(amount)
            .with_context(|| format!("{to:?} cannot hold {amount} more"))?;
        tx.set_balance(to, credited)?;
        Ok(())
    })
    .await
}
