//! The given part of kata 25: the simulated remote [`Ledger`] that holds the
//! balance, the [`Entry`] lines of a statement, and the [`InsufficientFunds`]
//! error. You do not need to change this file; the tests and the reference
//! solution use it as it is.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

/// A remote store that holds one account's balance, like a row in a database
/// on the other side of a network. Reading and writing each cost a round trip.
///
/// The ledger knows nothing about locks: two reads in flight at once both get
/// the same balance, and a write simply replaces whatever is there. Keeping
/// read-modify-write sequences apart is the caller's job.
#[derive(Debug)]
pub struct Ledger {
    latency: Duration,
    /// A std Mutex: it is held for one statement at a time, never across an
    /// `.await`.
    state: Mutex<LedgerState>,
}

#[derive(Debug)]
struct LedgerState {
    balance: u64,
    reads: usize,
    writes: usize,
}

impl Ledger {
    /// A ledger holding `opening`, whose reads and writes each take `latency`
    /// on tokio's clock.
    ///
    /// With a zero latency they still give way once (`yield_now`), as a
    /// real round trip would: another task can always run between a read and
    /// the write that follows it.
    pub fn new(opening: u64, latency: Duration) -> Self {
        Self {
            latency,
            state: Mutex::new(LedgerState {
                balance: opening,
                reads: 0,
                writes: 0,
            }),
        }
    }

    /// Reads the balance: the value the ledger held when the request reached
    /// it, delivered one `latency` later.
    pub async fn read(&self) -> u64 {
        let balance = {
            let mut state = self.lock();
            state.reads += 1;
            state.balance
        };
        self.round_trip().await;
        balance
    }

    /// Replaces the balance with `balance`. The write lands when its round
    /// trip is over; a write dropped before then never lands.
    pub async fn write(&self, balance: u64) {
        self.round_trip().await;
        let mut state = self.lock();
        state.writes += 1;
        state.balance = balance;
    }

    /// The balance the ledger holds right now (an instant peek for the tests,
    /// with no round trip).
    pub fn balance(&self) -> u64 {
        self.lock().balance
    }

    /// How many reads have been sent.
    pub fn reads(&self) -> usize {
        self.lock().reads
    }

    /// How many writes have landed.
    pub fn writes(&self) -> usize {
        self.lock().writes
    }

    async fn round_trip(&self) {
        if self.latency.is_zero() {
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(self.latency).await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LedgerState> {
        // Nothing panics while this lock is held.
        self.state.lock().expect("the ledger never panics")
    }
}

/// One line of an account's statement: an operation that completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A deposit of this amount.
    Deposit(u64),
    /// A withdrawal of this amount.
    Withdrawal(u64),
}

/// A withdrawal was refused: the balance was too small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsufficientFunds {
    /// The balance when the withdrawal was refused.
    pub balance: u64,
    /// The amount asked for.
    pub requested: u64,
}

impl fmt::Display for InsufficientFunds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot withdraw {} from a balance of {}",
            self.requested, self.balance
        )
    }
}

impl std::error::Error for InsufficientFunds {}
