//! The given part of kata 26: the [`NamedMutex`] and its [`NamedGuard`] (all
//! but `lock`, which you write), the [`Deadlock`] report, the [`Bank`] with
//! its accounts and [`AuditLog`], and [`BankError`]. You do not need to change
//! this file; the tests and the reference solution use it as it is.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Mutex;
use std::time::Duration;

/// A tokio mutex with a name, that remembers who holds it, and whose `lock`
/// gives up after a time limit with a [`Deadlock`] report instead of waiting
/// forever.
///
/// The fields are `pub(crate)` so that `lock`, in `lib.rs`, can use them.
#[derive(Debug)]
pub struct NamedMutex<T> {
    /// The name of the lock, for reports.
    pub(crate) name: &'static str,
    /// How long `lock` waits before it reports a deadlock.
    pub(crate) limit: Duration,
    /// The lock itself. tokio's: a guard may be held across `.await`.
    pub(crate) inner: tokio::sync::Mutex<T>,
    /// Who holds the lock now, if anyone. A std Mutex: it is locked for one
    /// statement at a time, and [`NamedGuard`]'s `Drop` (which cannot await)
    /// locks it too.
    pub(crate) holder: Mutex<Option<&'static str>>,
}

impl<T> NamedMutex<T> {
    /// A lock named `name`, around `value`, whose waits are limited to `limit`.
    pub fn new(name: &'static str, limit: Duration, value: T) -> Self {
        Self {
            name,
            limit,
            inner: tokio::sync::Mutex::new(value),
            holder: Mutex::new(None),
        }
    }

    /// The name of the lock.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Who holds the lock now (the `who` given to `lock`), or `None` when it
    /// is free.
    pub fn holder(&self) -> Option<&'static str> {
        *self.holder_slot()
    }

    /// The holder slot, locked.
    pub(crate) fn holder_slot(&self) -> std::sync::MutexGuard<'_, Option<&'static str>> {
        // Nothing panics while this lock is held, so it is never poisoned.
        self.holder
            .lock()
            .expect("the holder slot is never poisoned")
    }
}

/// Access to the value of a [`NamedMutex`]. Dropping it forgets the holder and
/// releases the lock, in that order.
pub struct NamedGuard<'a, T> {
    /// The tokio guard: the lock is held while this lives.
    pub(crate) guard: tokio::sync::MutexGuard<'a, T>,
    /// The lock this guard belongs to, whose holder it clears on drop.
    pub(crate) lock: &'a NamedMutex<T>,
}

impl<T> Deref for NamedGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> DerefMut for NamedGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

impl<T> Drop for NamedGuard<'_, T> {
    fn drop(&mut self) {
        // `drop` runs before the fields are dropped: the holder is forgotten
        // while the lock is still held, so the next holder (who can only
        // record itself after the tokio guard is released) is never erased.
        *self.lock.holder_slot() = None;
    }
}

impl<T: fmt::Debug> fmt::Debug for NamedGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedGuard")
            .field("lock", &self.lock.name)
            .field("value", &*self.guard)
            .finish()
    }
}

/// A lock could not be taken within its limit: most likely a deadlock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadlock {
    /// The name of the lock.
    pub lock: &'static str,
    /// Who was waiting for it.
    pub waiter: &'static str,
    /// Who held it when the wait was given up (`None` if nobody named did).
    pub holder: Option<&'static str>,
    /// How long the waiter waited.
    pub waited: Duration,
}

impl fmt::Display for Deadlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "possible deadlock: `{}` waited {:?} for the lock `{}`",
            self.waiter, self.waited, self.lock
        )?;
        match self.holder {
            Some(holder) => write!(f, ", held by `{holder}`"),
            None => write!(f, ", held by nobody named"),
        }
    }
}

impl std::error::Error for Deadlock {}

/// Why a [`Bank`] operation did nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankError {
    /// There is no account by that name.
    UnknownAccount(String),
    /// The account holds less than was asked for.
    InsufficientFunds {
        /// The account.
        account: String,
        /// Its balance.
        balance: u64,
        /// The amount asked for.
        requested: u64,
    },
    /// A lock could not be taken in time.
    Deadlock(Deadlock),
}

impl From<Deadlock> for BankError {
    fn from(deadlock: Deadlock) -> Self {
        Self::Deadlock(deadlock)
    }
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownAccount(name) => write!(f, "no account named {name:?}"),
            Self::InsufficientFunds {
                account,
                balance,
                requested,
            } => write!(
                f,
                "{account} cannot pay {requested}: the balance is {balance}"
            ),
            Self::Deadlock(deadlock) => deadlock.fmt(f),
        }
    }
}

impl std::error::Error for BankError {}

/// A remote audit store: every change to the bank is written to it, one line
/// per operation. A write takes one `latency` on tokio's clock (with a zero
/// latency it still gives way once, with `yield_now`).
#[derive(Debug)]
pub struct AuditLog {
    latency: Duration,
    /// A std Mutex: held for one push or one clone, never across `.await`.
    lines: Mutex<Vec<String>>,
}

impl AuditLog {
    /// An empty audit log whose writes take `latency`.
    pub fn new(latency: Duration) -> Self {
        Self {
            latency,
            lines: Mutex::new(Vec::new()),
        }
    }

    /// Writes one line; it is stored when the write's round trip is over (a
    /// write dropped before then is lost).
    pub async fn record(&self, line: String) {
        if self.latency.is_zero() {
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(self.latency).await;
        }
        self.locked().push(line);
    }

    /// The lines written so far, in order.
    pub fn lines(&self) -> Vec<String> {
        self.locked().clone()
    }

    fn locked(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        // Nothing panics while this lock is held, so it is never poisoned.
        self.lines.lock().expect("the audit log is never poisoned")
    }
}

/// A bank: accounts, each behind its own [`NamedMutex`] (named after the
/// account), and an [`AuditLog`]. The operations are yours to write, in
/// `lib.rs`.
#[derive(Debug)]
pub struct Bank {
    /// Every account's balance behind its own lock, by name. A `BTreeMap`, so
    /// that walking it visits the accounts in name order.
    pub(crate) accounts: BTreeMap<&'static str, NamedMutex<u64>>,
    /// Where every change is recorded.
    pub(crate) audit: AuditLog,
}

impl Bank {
    /// A bank with these accounts and opening balances. Every account lock
    /// reports a deadlock after waiting `lock_limit`; every audit write takes
    /// `audit_latency`.
    pub fn new(
        accounts: impl IntoIterator<Item = (&'static str, u64)>,
        lock_limit: Duration,
        audit_latency: Duration,
    ) -> Self {
        Self {
            accounts: accounts
                .into_iter()
                .map(|(name, balance)| (name, NamedMutex::new(name, lock_limit, balance)))
                .collect(),
            audit: AuditLog::new(audit_latency),
        }
    }

    /// The lock of the account `name`, if there is one: for diagnostics, and
    /// for the tests.
    pub fn account(&self, name: &str) -> Option<&NamedMutex<u64>> {
        self.accounts.get(name)
    }

    /// The audit log.
    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }
}
