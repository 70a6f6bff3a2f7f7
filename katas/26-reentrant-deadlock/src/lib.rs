//! Kata 26: a lock you already hold.
//!
//! Neither tokio's `Mutex` nor std's is reentrant: a task that holds a lock
//! and asks for it again waits for itself, forever. The classic way in is a
//! method that takes a lock and then calls a helper that takes it again, like
//! a `transfer` that locks both accounts and then calls `withdraw` and
//! `deposit`.
//!
//! Two parts:
//!
//! * [`NamedMutex::lock`]: a lock that, instead of hanging, gives up after its
//!   time limit and returns a [`Deadlock`] report naming the lock, the waiter
//!   and the holder (the rest of [`NamedMutex`] is given);
//! * the operations of the [`Bank`] (given: its accounts, each behind a
//!   `NamedMutex`, and its [`AuditLog`]): `balance`, `deposit`, `withdraw`,
//!   a `transfer` that takes each lock once and is all or nothing, and a
//!   `total` that is a true snapshot.
//!
//! Run the tests with `cargo test -p reentrant-deadlock`, or `cargo xtask watch`.

mod given;
pub use given::{AuditLog, Bank, BankError, Deadlock, NamedGuard, NamedMutex};

impl<T> NamedMutex<T> {
    /// Takes the lock on behalf of `who`, waiting at most the lock's limit.
    ///
    /// While the returned guard lives, [`NamedMutex::holder`] is `Some(who)`.
    ///
    /// # Errors
    /// [`Deadlock`] when the lock could not be taken within the limit, naming
    /// this lock, `who`, the holder at that moment, and the time waited. The
    /// waiter then no longer waits: it will not take the lock later.
    pub async fn lock(&self, who: &'static str) -> Result<NamedGuard<'_, T>, Deadlock> {
        // TODO: wait for `self.inner` at most `self.limit`; once it is yours,
        // record `who` in the holder slot and wrap the tokio guard in a
        // `NamedGuard { guard, lock: self }`. On time-out, report who holds it.
        let _ = (&self.inner, self.limit);
        todo!("lock {:?} for {who:?}", self.name)
    }
}

impl Bank {
    /// The balance of the account `name`. Writes nothing to the audit log.
    ///
    /// # Errors
    /// [`BankError::UnknownAccount`]; [`BankError::Deadlock`] if the lock
    /// could not be taken (the lock is taken as `"balance"`).
    pub async fn balance(&self, name: &str) -> Result<u64, BankError> {
        // TODO: lock the account, read it.
        todo!("the balance of {name:?} in {self:?}")
    }

    /// Adds `amount` to the account `name` and writes
    /// `"deposit {amount} to {name}"` to the audit log, under the account's
    /// lock (taken as `"deposit"`). Returns the new balance.
    ///
    /// # Errors
    /// [`BankError::UnknownAccount`]; [`BankError::Deadlock`].
    pub async fn deposit(&self, name: &str, amount: u64) -> Result<u64, BankError> {
        // TODO: lock, change the balance, write the audit line, all under the
        // lock. Keep the change itself in a helper that does NOT lock, so that
        // `transfer` can reuse it.
        todo!("deposit {amount} to {name:?}")
    }

    /// Takes `amount` from the account `name` and writes
    /// `"withdraw {amount} from {name}"` to the audit log, under the account's
    /// lock (taken as `"withdraw"`). Returns the new balance.
    ///
    /// # Errors
    /// [`BankError::UnknownAccount`]; [`BankError::InsufficientFunds`] (nothing
    /// changes, nothing is written); [`BankError::Deadlock`].
    pub async fn withdraw(&self, name: &str, amount: u64) -> Result<u64, BankError> {
        // TODO: as `deposit`, with a funds check in its non-locking helper.
        todo!("withdraw {amount} from {name:?}")
    }

    /// Moves `amount` from `from` to `to`, all or nothing, and writes
    /// `"transfer {amount} from {from} to {to}"` to the audit log while both
    /// accounts are still locked (taken as `"transfer"`).
    ///
    /// Each lock is taken once, in one global order (by account name), so two
    /// transfers in opposite directions cannot deadlock; a transfer from an
    /// account to itself takes its one lock once and changes nothing.
    ///
    /// # Errors
    /// [`BankError::UnknownAccount`] for either account,
    /// [`BankError::InsufficientFunds`], [`BankError::Deadlock`]; in every case
    /// no balance changes and nothing is written.
    pub async fn transfer(&self, from: &str, to: &str, amount: u64) -> Result<(), BankError> {
        // TODO: do NOT lock and then call `withdraw` and `deposit`: they lock
        // again, and a lock you hold is a lock you wait for. Lock each account
        // once (the one whose name sorts first, first), then use the
        // non-locking helpers on the guarded balances.
        todo!("transfer {amount} from {from:?} to {to:?}")
    }

    /// The sum of all balances, as they were at one instant: every account is
    /// locked (in name order, taken as `"total"`) before any is read, so no
    /// transfer is seen half done. Writes nothing to the audit log.
    ///
    /// # Errors
    /// [`BankError::Deadlock`].
    pub async fn total(&self) -> Result<u64, BankError> {
        // TODO: hold every account's guard at once, then add them up.
        todo!("the total of {self:?}")
    }
}
