//! Kata 25 tests: an account whose read-await-write updates must not be lost.
//!
//! Most tests run on tokio's paused clock with a ledger round trip of 10 ms:
//! deposits made "at once" really do overlap, every interleaving is the same
//! in every run, and elapsed time is exact. The operations run in spawned
//! tasks, as they would in a server, which is also why the account's futures
//! must be `Send` (a `std::sync::MutexGuard` held across an `.await` makes
//! these tests fail to compile). One test runs on four worker threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lock::{Account, Entry, InsufficientFunds, Ledger};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// One ledger round trip: a read or a write.
const TRIP: Duration = Duration::from_millis(10);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A ledger holding `opening`, and an account over it, shared.
fn account(opening: u64) -> (Arc<Ledger>, Arc<Account>) {
    let ledger = Arc::new(Ledger::new(opening, TRIP));
    let account = Arc::new(Account::new(ledger.clone()));
    (ledger, account)
}

fn spawn_deposit(account: &Arc<Account>, amount: u64) -> JoinHandle<u64> {
    let account = account.clone();
    tokio::spawn(async move { account.deposit(amount).await })
}

fn spawn_withdraw(
    account: &Arc<Account>,
    amount: u64,
) -> JoinHandle<Result<u64, InsufficientFunds>> {
    let account = account.clone();
    tokio::spawn(async move { account.withdraw(amount).await })
}

/// Awaits every task, in order, and re-raises a panic from any of them.
async fn results<T>(handles: Vec<JoinHandle<T>>) -> Vec<T> {
    let all = async {
        let mut results = Vec::with_capacity(handles.len());
        for handle in handles {
            match handle.await {
                Ok(value) => results.push(value),
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            }
        }
        results
    };
    timeout(LIMIT, all)
        .await
        .expect("the operations never finished: is a lock never released?")
}

/// Spawns `pairs` deposits of `deposit` and withdrawals of 1, alternately;
/// waits for them all, and returns the withdrawals' outcomes.
async fn interleaved(
    account: &Arc<Account>,
    pairs: usize,
    deposit: u64,
) -> Vec<Result<u64, InsufficientFunds>> {
    let mut deposits = Vec::new();
    let mut withdrawals = Vec::new();
    for _ in 0..pairs {
        deposits.push(spawn_deposit(account, deposit));
        withdrawals.push(spawn_withdraw(account, 1));
    }
    results(deposits).await;
    results(withdrawals).await
}

/// One deposit: one read, one write, two round trips, the new balance back.
#[tokio::test(start_paused = true)]
async fn a_deposit_reads_then_writes_the_new_balance() {
    let (ledger, account) = account(100);
    let start = Instant::now();

    let balance = results(vec![spawn_deposit(&account, 30)]).await;

    assert_eq!(balance, [130]);
    assert_eq!(ledger.balance(), 130);
    assert_eq!((ledger.reads(), ledger.writes()), (1, 1));
    assert_eq!(
        start.elapsed(),
        ms(20),
        "a read and a write: two round trips"
    );
    assert_eq!(account.statement(), [Entry::Deposit(30)]);
}

/// The ledger is the truth, and others may write to it: every operation
/// reads it afresh instead of trusting a balance remembered from before.
#[tokio::test(start_paused = true)]
async fn every_operation_reads_the_ledger_afresh() {
    let (ledger, account) = account(100);

    results(vec![spawn_deposit(&account, 10)]).await;
    ledger.write(500).await; // another client of the ledger
    let after = results(vec![spawn_deposit(&account, 10)]).await;

    assert_eq!(
        after,
        [510],
        "the deposit overwrote a change made by someone else: it must read the ledger, \
         not a balance kept in memory"
    );
    assert_eq!(ledger.balance(), 510);
}

/// The classic: 100 deposits at once. Without a lock around the whole
/// read-await-write, they all read 0 and the ledger ends at 1.
#[tokio::test(start_paused = true)]
async fn a_hundred_concurrent_deposits_lose_nothing() {
    let (ledger, account) = account(0);

    let handles = (0..100).map(|_| spawn_deposit(&account, 1)).collect();
    let mut balances = results(handles).await;

    assert_eq!(
        ledger.balance(),
        100,
        "deposits were lost: two of them read the same balance, and the later write \
         overwrote the earlier one"
    );
    balances.sort_unstable();
    assert_eq!(
        balances,
        (1..=100).collect::<Vec<u64>>(),
        "each deposit must see the balance the one before it wrote"
    );
    assert_eq!(account.statement().len(), 100);
}

/// The lock covers the read, the wait and the write: the sections take
/// turns, so 100 deposits take 100 × 2 round trips, and each deposit does
/// exactly one read and one write.
#[tokio::test(start_paused = true)]
async fn deposits_take_turns_for_the_whole_read_and_write() {
    let (ledger, account) = account(0);
    let start = Instant::now();

    let handles = (0..100).map(|_| spawn_deposit(&account, 1)).collect();
    results(handles).await;

    assert_eq!(
        start.elapsed(),
        ms(2000),
        "100 deposits of one read and one write each, one after another, take 2 s"
    );
    assert_eq!(
        (ledger.reads(), ledger.writes()),
        (100, 100),
        "one read and one write per deposit"
    );
}

/// Waiters get the lock in the order they asked for it, and the statement
/// lists the operations in the order the ledger saw them.
#[tokio::test(start_paused = true)]
async fn waiting_operations_are_served_in_arrival_order() {
    let (_ledger, account) = account(0);

    let handles = (1..=5)
        .map(|amount| spawn_deposit(&account, amount))
        .collect();
    let balances = results(handles).await;

    assert_eq!(
        balances,
        [1, 3, 6, 10, 15],
        "the deposits must be applied in the order they asked for the lock"
    );
    assert_eq!(
        account.statement(),
        (1..=5).map(Entry::Deposit).collect::<Vec<_>>()
    );
}

/// Check-then-act: ten withdrawals of 30 from 100 at once. Only three fit;
/// a check made under one lock and a write made under another would let
/// them all through.
#[tokio::test(start_paused = true)]
async fn concurrent_withdrawals_never_overdraw() {
    let (ledger, account) = account(100);

    let handles = (0..10).map(|_| spawn_withdraw(&account, 30)).collect();
    let outcomes = results(handles).await;

    let refused = InsufficientFunds {
        balance: 10,
        requested: 30,
    };
    let mut expected = vec![Ok(70), Ok(40), Ok(10)];
    expected.extend([Err(refused); 7]);
    assert_eq!(
        outcomes, expected,
        "three withdrawals fit, in arrival order; the other seven see a balance of 10"
    );
    assert_eq!(ledger.balance(), 10, "the account was overdrawn");
    assert_eq!(ledger.writes(), 3, "a refused withdrawal must not write");
    assert_eq!(account.statement(), [Entry::Withdrawal(30); 3]);
}

/// A withdrawal larger than the balance is refused and changes nothing; one
/// of exactly the balance empties the account.
#[tokio::test(start_paused = true)]
async fn a_refused_withdrawal_changes_nothing() {
    let (ledger, account) = account(20);

    let refused = results(vec![spawn_withdraw(&account, 50)]).await;
    assert_eq!(
        refused,
        [Err(InsufficientFunds {
            balance: 20,
            requested: 50
        })]
    );
    assert_eq!((ledger.balance(), ledger.writes()), (20, 0));
    assert_eq!(account.statement(), []);

    let emptied = results(vec![spawn_withdraw(&account, 20)]).await;
    assert_eq!(emptied, [Ok(0)]);
    assert_eq!(account.statement(), [Entry::Withdrawal(20)]);
}

/// Deposits and withdrawals share one section: 50 of each, interleaved,
/// lose nothing.
#[tokio::test(start_paused = true)]
async fn deposits_and_withdrawals_take_turns_with_each_other() {
    let (ledger, account) = account(100);

    let outcomes = interleaved(&account, 50, 2).await;

    assert!(
        outcomes.iter().all(Result::is_ok),
        "the balance never drops below 100: no withdrawal of 1 may be refused"
    );
    assert_eq!(
        ledger.balance(),
        150,
        "100 + 50 × 2 − 50 × 1: a deposit and a withdrawal overlapped and one was lost"
    );
}

/// The statement can be read while an operation holds the section and waits
/// on the ledger: it is behind its own short lock, not the long one.
#[tokio::test(start_paused = true)]
async fn the_statement_can_be_read_while_a_deposit_waits_on_the_ledger() {
    let (_ledger, account) = account(0);
    let first = spawn_deposit(&account, 1);
    let second = spawn_deposit(&account, 2);

    sleep(ms(15)).await; // the first deposit is writing; the second waits its turn
    assert_eq!(
        account.statement(),
        [],
        "nothing has completed yet at 15 ms"
    );
    sleep(ms(10)).await; // the second deposit is reading
    assert_eq!(account.statement(), [Entry::Deposit(1)]);

    results(vec![first, second]).await;
    assert_eq!(account.statement(), [Entry::Deposit(1), Entry::Deposit(2)]);
}

/// A deposit cancelled at any of its `.await`s (waiting for the lock, reading,
/// writing) changes nothing, is not on the statement, and releases the lock:
/// the next deposit goes ahead at once.
#[tokio::test(start_paused = true)]
async fn a_cancelled_deposit_releases_the_lock_and_leaves_no_trace() {
    for (phase, cut_at) in [("reading", ms(5)), ("writing", ms(15))] {
        let (ledger, account) = account(100);
        let start = Instant::now();

        let cut = timeout(cut_at, account.deposit(50)).await;
        assert!(cut.is_err(), "the deposit cannot finish in {cut_at:?}");
        let next = results(vec![spawn_deposit(&account, 1)]).await;

        assert_eq!(
            start.elapsed(),
            cut_at + ms(20),
            "a deposit cancelled while {phase} must release the lock at once"
        );
        assert_eq!(
            (next, ledger.balance()),
            (vec![101], 101),
            "a deposit cancelled while {phase} must leave no trace on the ledger"
        );
        assert_eq!(account.statement(), [Entry::Deposit(1)]);
    }

    // Cancelled while waiting for the lock: its place in the queue is given up.
    let (ledger, account) = account(100);
    let start = Instant::now();
    let first = spawn_deposit(&account, 1);
    sleep(ms(1)).await; // the first deposit holds the lock, reading
    let cut = timeout(ms(4), account.deposit(50)).await;
    assert!(
        cut.is_err(),
        "the second deposit waits for the lock until 20 ms"
    );
    let third = spawn_deposit(&account, 2);
    let balances = results(vec![first, third]).await;
    assert_eq!(balances, [101, 103]);
    assert_eq!(
        start.elapsed(),
        ms(40),
        "the cancelled waiter must not hold up the one behind it"
    );
    assert_eq!(ledger.balance(), 103);
}

/// A deposit waiting for the lock sleeps until it is its turn: it is polled
/// a handful of times in all, however long the wait, not every millisecond.
#[tokio::test(start_paused = true)]
async fn a_waiting_deposit_sleeps_until_the_lock_is_free() {
    let ledger = Arc::new(Ledger::new(0, Duration::from_secs(1)));
    let account = Arc::new(Account::new(ledger.clone()));
    let first = spawn_deposit(&account, 1);
    let polls = Arc::new(AtomicUsize::new(0));
    let counter = polls.clone();
    let mut deposit = Box::pin({
        let account = account.clone();
        async move { account.deposit(2).await }
    });
    // The second deposit, wrapped in a future that counts its polls.
    let second = tokio::spawn(std::future::poll_fn(move |cx| {
        counter.fetch_add(1, Ordering::Relaxed);
        deposit.as_mut().poll(cx)
    }));

    let balances = results(vec![first, second]).await;

    assert_eq!(balances, [1, 3]);
    let polls = polls.load(Ordering::Relaxed);
    assert!(
        polls <= 6,
        "the second deposit was polled {polls} times while it waited 2 s for the lock \
         and made two round trips: is it checking a flag in a loop instead of waiting \
         to be woken?"
    );
}

/// On four worker threads, tasks really run in parallel: 400 deposits and
/// 400 withdrawals, with a ledger that gives way between each read and its
/// write, still lose nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_threads_lose_nothing() {
    let ledger = Arc::new(Ledger::new(1000, Duration::ZERO));
    let account = Arc::new(Account::new(ledger.clone()));

    let outcomes = interleaved(&account, 400, 3).await;

    assert!(outcomes.iter().all(Result::is_ok));
    assert_eq!(
        ledger.balance(),
        1000 + 400 * 3 - 400,
        "updates were lost between threads"
    );
    assert_eq!(account.statement().len(), 800);
}
