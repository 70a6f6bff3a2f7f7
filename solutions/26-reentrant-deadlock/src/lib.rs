//! Kata 26, reference solution: a lock you already hold.
//!
//! Neither tokio's `Mutex` nor std's is reentrant. The classic way into that
//! wall is a public method that takes a lock and then calls another public
//! method that takes the same lock: the second `lock().await` waits for a
//! guard that its own caller holds, and nobody will ever drop it.
//!
//! The cure is a split that every lock-based design ends up with:
//!
//! * public methods take the locks, once each, and hold them for the whole
//!   operation (including the audit write, so that the log's order is the
//!   order of the changes);
//! * the logic lives in plain helpers (`take`, `give`) that work on data
//!   the caller has already locked and never lock anything themselves.
//!
//! With one lock per account, two more rules keep `transfer` from deadlocking:
//! the locks are always taken in one global order (by account name), and a
//! transfer from an account to itself takes its one lock once.
//!
//! And since a deadlock in async code is silent (nothing panics, nothing
//! spins, a task just never wakes), [`NamedMutex::lock`] puts a limit on every
//! wait and turns a wait that runs past it into a [`Deadlock`] report naming
//! the lock, the waiter and the holder.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/26-reentrant-deadlock/src/given.rs"]
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
        match tokio::time::timeout(self.limit, self.inner.lock()).await {
            Ok(guard) => {
                // Recorded only now that the lock is ours: while we waited,
                // the holder slot named whoever really held it.
                *self.holder_slot() = Some(who);
                Ok(NamedGuard { guard, lock: self })
            }
            // `timeout` has dropped the `lock()` future, which takes this
            // waiter out of the mutex's queue: it will never get the lock.
            Err(_elapsed) => Err(Deadlock {
                lock: self.name,
                waiter: who,
                holder: self.holder(),
                waited: self.limit,
            }),
        }
    }
}

/// Takes `amount` out of a balance the caller has locked.
///
/// Does not lock: that is the point. It can be called by `withdraw`, which
/// locked one account, and by `transfer`, which locked two.
fn take(balance: &mut u64, account: &str, amount: u64) -> Result<(), BankError> {
    if *balance < amount {
        return Err(BankError::InsufficientFunds {
            account: account.to_owned(),
            balance: *balance,
            requested: amount,
        });
    }
    *balance -= amount;
    Ok(())
}

/// Adds `amount` to a balance the caller has locked. Does not lock.
fn give(balance: &mut u64, amount: u64) {
    // Balances in this kata stay far below `u64::MAX`; an overflow would be a
    // bug worth a panic, which debug builds give.
    *balance += amount;
}

impl Bank {
    /// The balance of the account `name`. Writes nothing to the audit log.
    ///
    /// # Errors
    /// [`BankError::UnknownAccount`]; [`BankError::Deadlock`] if the lock
    /// could not be taken (the lock is taken as `"balance"`).
    pub async fn balance(&self, name: &str) -> Result<u64, BankError> {
        let balance = self.lock_of(name)?.lock("balance").await?;
        Ok(*balance)
    }

    /// Adds `amount` to the account `name` and writes
    /// `"deposit {amount} to {name}"` to the audit log, under the account's
    /// lock (taken as `"deposit"`). Returns the new balance.
    ///
    /// # Errors
    /// [`BankError::UnknownAccount`]; [`BankError::Deadlock`].
    pub async fn deposit(&self, name: &str, amount: u64) -> Result<u64, BankError> {
        let mut balance = self.lock_of(name)?.lock("deposit").await?;
        give(&mut balance, amount);
        // Written while the lock is held, so the audit log lists the changes
        // to this account in the order they were made. That `.await` under
        // the lock is why the accounts use tokio's mutex.
        self.audit
            .record(format!("deposit {amount} to {name}"))
            .await;
        Ok(*balance)
    }

    /// Takes `amount` from the account `name` and writes
    /// `"withdraw {amount} from {name}"` to the audit log, under the account's
    /// lock (taken as `"withdraw"`). Returns the new balance.
    ///
    /// # Errors
    /// [`BankError::UnknownAccount`]; [`BankError::InsufficientFunds`] (nothing
    /// changes, nothing is written); [`BankError::Deadlock`].
    pub async fn withdraw(&self, name: &str, amount: u64) -> Result<u64, BankError> {
        let mut balance = self.lock_of(name)?.lock("withdraw").await?;
        take(&mut balance, name, amount)?;
        self.audit
            .record(format!("withdraw {amount} from {name}"))
            .await;
        Ok(*balance)
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
        // Both names are checked before anything is locked or changed: an
        // unknown destination must not be found after the money has left.
        let source = self.lock_of(from)?;
        let target = self.lock_of(to)?;
        let line = format!("transfer {amount} from {from} to {to}");

        if from == to {
            // One account, one lock, taken once: locking "both" would be
            // asking for a lock we already hold. The funds are still checked,
            // as for any transfer; the balance ends where it started.
            let mut balance = source.lock("transfer").await?;
            take(&mut balance, from, amount)?;
            give(&mut balance, amount);
            self.audit.record(line).await;
            return Ok(());
        }

        // Always the account whose name sorts first, first. Two transfers in
        // opposite directions then queue for the same first lock, instead of
        // each holding one lock and waiting for the other's.
        let (first, second) = if from < to {
            (source, target)
        } else {
            (target, source)
        };
        let mut first = first.lock("transfer").await?;
        // If this wait is cut short by a `Deadlock`, `?` returns and drops
        // `first`: a failed transfer holds nothing.
        let mut second = second.lock("transfer").await?;
        let (source, target) = if from < to {
            (&mut *first, &mut *second)
        } else {
            (&mut *second, &mut *first)
        };

        // The helpers work on the guarded balances and lock nothing. `take`
        // comes first: if it fails, nothing has changed yet.
        take(source, from, amount)?;
        give(target, amount);
        // Both guards live until the end of the function, across this write:
        // nobody sees the money in flight, and the log follows the changes.
        self.audit.record(line).await;
        Ok(())
    }

    /// The sum of all balances, as they were at one instant: every account is
    /// locked (in name order, taken as `"total"`) before any is read, so no
    /// transfer is seen half done. Writes nothing to the audit log.
    ///
    /// # Errors
    /// [`BankError::Deadlock`].
    pub async fn total(&self) -> Result<u64, BankError> {
        // A `BTreeMap` iterates in name order: the same global order as
        // `transfer`, so `total` cannot deadlock with a transfer either.
        let mut guards = Vec::with_capacity(self.accounts.len());
        for lock in self.accounts.values() {
            guards.push(lock.lock("total").await?);
        }
        // Every guard is held here, so the balances are one consistent
        // snapshot. They are released when `guards` is dropped.
        Ok(guards.iter().map(|balance| **balance).sum())
    }

    /// The lock of the account `name`.
    fn lock_of(&self, name: &str) -> Result<&NamedMutex<u64>, BankError> {
        self.accounts
            .get(name)
            .ok_or_else(|| BankError::UnknownAccount(name.to_owned()))
    }
}
