//! The given part of kata 10: a shared event [`Log`], a simulated [`Resource`]
//! that must be closed asynchronously, and a simulated [`Database`] with its
//! [`Transaction`]s. You do not need to change this file; the tests and the
//! reference solution use it as it is.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;

/// How long each simulated I/O step (open, write, close, begin, commit...) takes.
pub const STEP: Duration = Duration::from_millis(100);

/// A shared, ordered record of what happened, read by the tests.
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
