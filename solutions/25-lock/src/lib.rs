//! Kata 25, reference solution: a lock for a read-await-write update.
//!
//! A deposit is three steps: read the balance, wait for the answer, write the
//! balance plus the amount. While one deposit waits, others run (that is the
//! point of async code), and any of them that reads before the first one's
//! write lands reads the old balance: when it writes, the first deposit is
//! gone. The cure is to make the whole read-await-write one critical section:
//! a lock taken before the read and released after the write.
//!
//! Two kinds of lock, each where it belongs:
//!
//! * the section awaits the ledger while it holds the lock, so it takes
//!   `tokio::sync::Mutex`, whose guard may live across `.await` (and is
//!   `Send`, so a spawned task may hold it). A `std::sync::Mutex` guard held
//!   there would make the future `!Send`: `tokio::spawn` refuses it at
//!   compile time;
//! * the statement is pushed to and copied with no `.await` in between, so it
//!   takes the cheaper `std::sync::Mutex`, which plain code can lock too:
//!   [`Account::statement`] is not async and never waits for a deposit.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/25-lock/src/given.rs"]
mod given;
pub use given::{Entry, InsufficientFunds, Ledger};

use std::sync::{Arc, Mutex};

/// A bank account whose balance lives in a remote [`Ledger`].
///
/// Every method takes `&self`: the tests share one account between many
/// spawned tasks (through an `Arc`), so the futures it returns must be `Send`.
#[derive(Debug)]
pub struct Account {
    /// An `Arc`: the ledger is a remote store that others (here, the tests)
    /// look at too; the account is one client of it.
    ledger: Arc<Ledger>,
    /// tokio's Mutex: its guard is held across the ledger's `.await`s, for
    /// the whole read-modify-write section. It wraps `()` because the data it
    /// protects is not in our memory but in the ledger; what it serialises
    /// is the *sequence* of calls. tokio's Mutex is also fair: waiters get it
    /// in the order they asked.
    section: tokio::sync::Mutex<()>,
    /// A std Mutex: locked for one push or one clone, never across an
    /// `.await`, so it is cheap, and plain code can take it.
    statement: Mutex<Vec<Entry>>,
}

impl Account {
    /// An account over `ledger`, with an empty statement.
    pub fn new(ledger: Arc<Ledger>) -> Self {
        Self {
            ledger,
            section: tokio::sync::Mutex::new(()),
            statement: Mutex::new(Vec::new()),
        }
    }

    /// Adds `amount`: reads the balance from the ledger, then writes the
    /// balance plus `amount`. Returns the new balance.
    ///
    /// Deposits and withdrawals made at the same time take turns, in the
    /// order they asked, so none is lost. A deposit that is cancelled (its
    /// future dropped) before its write lands changes nothing, is not on the
    /// statement, and does not hold up the next one.
    pub async fn deposit(&self, amount: u64) -> u64 {
        // Held until the end of the function: across the read, the write and
        // the statement line. If this future is dropped at either `.await`,
        // the guard is dropped with it and the next waiter goes ahead; the
        // write that did not land changed nothing.
        let _section = self.section.lock().await;
        let balance = self.ledger.read().await + amount;
        self.ledger.write(balance).await;
        // Still inside the section, so the statement lists the operations in
        // the order the ledger saw them.
        self.record(Entry::Deposit(amount));
        balance
    }

    /// Takes `amount` out, if the balance covers it. Returns the new balance.
    ///
    /// # Errors
    /// [`InsufficientFunds`] when the balance is smaller than `amount`; then
    /// nothing is written and nothing goes on the statement.
    pub async fn withdraw(&self, amount: u64) -> Result<u64, InsufficientFunds> {
        // The check and the write in one section: a balance checked under one
        // lock and spent under another may have been spent by someone else
        // in between.
        let _section = self.section.lock().await;
        let balance = self.ledger.read().await;
        if balance < amount {
            return Err(InsufficientFunds {
                balance,
                requested: amount,
            });
        }
        self.ledger.write(balance - amount).await;
        self.record(Entry::Withdrawal(amount));
        Ok(balance - amount)
    }

    /// The operations that have completed, in the order they were applied to
    /// the ledger.
    ///
    /// Returns at once, even while a deposit or withdrawal is waiting on the
    /// ledger: this is plain (non-async) code.
    pub fn statement(&self) -> Vec<Entry> {
        // Only the statement's own lock, never `section`: a deposit holds
        // that one for two round trips, and a reader must not wait for it.
        self.statement_lock().clone()
    }

    fn record(&self, entry: Entry) {
        self.statement_lock().push(entry);
    }

    fn statement_lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        // The lock is only ever held for a push or a clone, which do not
        // panic (short of running out of memory), so it is never poisoned;
        // were it, the list would still be whole.
        self.statement
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
