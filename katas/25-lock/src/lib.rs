//! Kata 25: a lock for a read-await-write update.
//!
//! An [`Account`] keeps its balance in a remote [`Ledger`] (given, in
//! `src/given.rs`): a deposit reads the balance, waits for the answer, and
//! writes back the new one. Two deposits whose round trips overlap both read
//! the same old balance, and one of them is lost. Write [`Account`] so that
//! no update is ever lost and no withdrawal ever overdraws, however many
//! tasks use it at once, and keep a statement of what was done that can be
//! read at any moment.
//!
//! Two locks, two kinds: the section that awaits the ledger needs a lock
//! whose guard may be held across `.await` (tokio's); the statement, touched
//! for a moment with no `.await`, wants the plain `std::sync::Mutex`.
//!
//! Run the tests with `cargo test -p lock`, or `cargo xtask watch`.

mod given;
pub use given::{Entry, InsufficientFunds, Ledger};

use std::sync::Arc;

/// A bank account whose balance lives in a remote [`Ledger`].
///
/// Every method takes `&self`: the tests share one account between many
/// spawned tasks (through an `Arc`), so the futures it returns must be `Send`.
#[derive(Debug)]
pub struct Account {
    // TODO: the ledger, a lock that keeps each read-modify-write section
    // whole, and the statement (with its own lock).
}

impl Account {
    /// An account over `ledger`, with an empty statement.
    pub fn new(ledger: Arc<Ledger>) -> Self {
        // TODO: keep the ledger; start with an unlocked section and an empty
        // statement.
        todo!("an account over {ledger:?}")
    }

    /// Adds `amount`: reads the balance from the ledger, then writes the
    /// balance plus `amount`. Returns the new balance.
    ///
    /// Deposits and withdrawals made at the same time take turns, in the
    /// order they asked, so none is lost. A deposit that is cancelled (its
    /// future dropped) before its write lands changes nothing, is not on the
    /// statement, and does not hold up the next one.
    pub async fn deposit(&self, amount: u64) -> u64 {
        // TODO: read, then write `balance + amount`, with nobody else's read
        // or write in between; then add the line to the statement.
        todo!("deposit {amount} into {self:?}")
    }

    /// Takes `amount` out, if the balance covers it. Returns the new balance.
    ///
    /// # Errors
    /// [`InsufficientFunds`] when the balance is smaller than `amount`; then
    /// nothing is written and nothing goes on the statement.
    pub async fn withdraw(&self, amount: u64) -> Result<u64, InsufficientFunds> {
        // TODO: the check and the write belong to the same section: a balance
        // checked and then released may have been spent by the time you write.
        todo!("withdraw {amount} from {self:?}")
    }

    /// The operations that have completed, in the order they were applied to
    /// the ledger.
    ///
    /// Returns at once, even while a deposit or withdrawal is waiting on the
    /// ledger: this is plain (non-async) code.
    pub fn statement(&self) -> Vec<Entry> {
        // TODO: a copy of the statement.
        todo!("the statement of {self:?}")
    }
}
