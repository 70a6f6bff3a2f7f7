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

use std::collections::HashMap;
use std::future::Future;
use std::panic::{AssertUnwindSafe, resume_unwind};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, bail};
use futures::FutureExt;

/// How long each simulated I/O step (open, write, close, begin, commit...) takes.
pub const STEP: Duration = Duration::from_millis(100);

/// A shared, ordered record of what happened, read by the tests.
///
/// This part is given: you do not need to change it.
#[derive(Clone, Debug, Default)]
pub struct Log {
    // An `Arc` so that every clone (the resource's, the database's, the
    // test's) appends to the same list. A std `Mutex`: it is only held for one
    // push or one clone, never across an `.await`.
    events: Arc<Mutex<Vec<String>>>,
}

impl Log {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one event.
    pub fn push(&self, event: impl Into<String>) {
        self.events
            .lock()
            .expect("no code panics while holding the log")
            .push(event.into());
    }

    /// Every event so far, oldest first.
    pub fn events(&self) -> Vec<String> {
        self.events
            .lock()
            .expect("no code panics while holding the log")
            .clone()
    }
}

/// A simulated file that must be closed asynchronously.
///
/// Opening, writing and closing each take [`STEP`] and are logged when they
/// finish. A resource dropped without [`close`](Resource::close) logs
/// `"drop <name> unclosed"`: that is the leak the helper must prevent.
///
/// This part is given: you do not need to change it.
#[derive(Debug)]
pub struct Resource {
    name: String,
    log: Log,
    closed: bool,
}

impl Resource {
    /// Opens the resource called `name` (takes [`STEP`]; logs `"open <name>"`).
    pub async fn open(log: &Log, name: &str) -> anyhow::Result<Resource> {
        tokio::time::sleep(STEP).await;
        log.push(format!("open {name}"));
        Ok(Resource {
            name: name.to_owned(),
            log: log.clone(),
            closed: false,
        })
    }

    /// The name given to [`open`](Resource::open).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Writes `text` (takes [`STEP`]; logs `"write <name>: <text>"`).
    pub async fn write(&mut self, text: &str) {
        tokio::time::sleep(STEP).await;
        self.log.push(format!("write {}: {text}", self.name));
    }

    /// Closes the resource (takes [`STEP`]; logs `"close <name>"` when done).
    pub async fn close(mut self) {
        tokio::time::sleep(STEP).await;
        self.log.push(format!("close {}", self.name));
        self.closed = true;
    }
}

impl Drop for Resource {
    fn drop(&mut self) {
        // A destructor cannot `.await`: all it can do is report the leak.
        if !self.closed {
            self.log.push(format!("drop {} unclosed", self.name));
        }
    }
}

/// A simulated database of account balances.
///
/// This part is given: you do not need to change it.
#[derive(Debug)]
pub struct Database {
    // A std `Mutex`: locked only to read or apply balances, never across an
    // `.await`.
    balances: Mutex<HashMap<String, i64>>,
    log: Log,
}

impl Database {
    /// A database holding the given accounts and balances.
    pub fn new<'a>(log: &Log, accounts: impl IntoIterator<Item = (&'a str, i64)>) -> Self {
        let balances = accounts
            .into_iter()
            .map(|(name, balance)| (name.to_owned(), balance))
            .collect();
        Self {
            balances: Mutex::new(balances),
            log: log.clone(),
        }
    }

    /// The committed balance of `account`, if it exists.
    pub fn balance(&self, account: &str) -> Option<i64> {
        self.balances
            .lock()
            .expect("no code panics while holding the balances")
            .get(account)
            .copied()
    }

    /// Starts a transaction (takes [`STEP`]; logs `"begin"`).
    pub async fn begin(&self) -> Transaction<'_> {
        tokio::time::sleep(STEP).await;
        self.log.push("begin");
        Transaction {
            db: self,
            staged: HashMap::new(),
            finished: false,
        }
    }
}

/// An open transaction: writes are staged and become visible only on commit.
///
/// A transaction dropped without [`commit`](Transaction::commit) or
/// [`rollback`](Transaction::rollback) logs `"drop transaction unfinished"`.
///
/// This part is given: you do not need to change it.
#[derive(Debug)]
pub struct Transaction<'db> {
    db: &'db Database,
    staged: HashMap<String, i64>,
    finished: bool,
}

impl Transaction<'_> {
    /// The balance of `account` as this transaction sees it (its own writes included).
    ///
    /// # Errors
    /// If there is no such account.
    pub fn balance(&self, account: &str) -> anyhow::Result<i64> {
        match self.staged.get(account) {
            Some(&staged) => Ok(staged),
            None => self
                .db
                .balance(account)
                .with_context(|| format!("no account {account:?}")),
        }
    }

    /// Stages a new balance for an existing `account`.
    ///
    /// # Errors
    /// If there is no such account.
    pub fn set_balance(&mut self, account: &str, balance: i64) -> anyhow::Result<()> {
        self.balance(account)?;
        self.staged.insert(account.to_owned(), balance);
        Ok(())
    }

    /// Makes the staged writes visible (takes [`STEP`]; logs `"commit"`).
    pub async fn commit(mut self) {
        tokio::time::sleep(STEP).await;
        self.db
            .balances
            .lock()
            .expect("no code panics while holding the balances")
            .extend(self.staged.drain());
        self.db.log.push("commit");
        self.finished = true;
    }

    /// Throws the staged writes away (takes [`STEP`]; logs `"rollback"`).
    pub async fn rollback(mut self) {
        tokio::time::sleep(STEP).await;
        self.staged.clear();
        self.db.log.push("rollback");
        self.finished = true;
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.db.log.push("drop transaction unfinished");
        }
    }
}

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
/// # Errors
/// If either account does not exist or `from` holds less than `amount`; then
/// no balance changes.
pub async fn transfer(db: &Database, from: &str, to: &str, amount: i64) -> anyhow::Result<()> {
    // Plain `?` code inside: `transaction` turns any early return into a
    // rollback, so a debit staged before a failing credit is never committed.
    transaction(db, async |tx| {
        let left = tx.balance(from)? - amount;
        if left < 0 {
            bail!("{from:?} cannot pay {amount}: it holds {}", left + amount);
        }
        tx.set_balance(from, left)?;
        let credited = tx.balance(to)? + amount;
        tx.set_balance(to, credited)?;
        Ok(())
    })
    .await
}
