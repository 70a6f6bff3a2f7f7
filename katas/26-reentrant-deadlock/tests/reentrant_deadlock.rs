//! Kata 26 tests: a lock taken twice, and deadlocks reported instead of hung.
//!
//! The tests run on tokio's paused clock. Every lock gives up after one
//! second, so a deadlock costs one second of *virtual* time and comes back as
//! an error that names it: a wrong answer fails at once, with a message that
//! says which lock, who waited and who held it, and never hangs the run.
//! Audit writes take 10 ms, which is what keeps a transfer's locks held
//! across an `.await` and lets other operations queue up behind them. One
//! test runs on four worker threads.

use std::sync::Arc;
use std::time::Duration;

use reentrant_deadlock::{Bank, BankError, Deadlock, NamedMutex};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// How long every lock in these tests waits before it reports a deadlock.
const LOCK_LIMIT: Duration = Duration::from_secs(1);

/// One audit write.
const AUDIT: Duration = Duration::from_millis(10);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A bank with these accounts, sharable between tasks.
fn bank(accounts: &[(&'static str, u64)]) -> Arc<Bank> {
    Arc::new(Bank::new(accounts.iter().copied(), LOCK_LIMIT, AUDIT))
}

/// Awaits `operation` with the test-wide limit: a hang beyond every lock's
/// own limit fails here, in virtual time.
async fn within_limit<T>(operation: impl Future<Output = T>) -> T {
    timeout(LIMIT, operation).await.expect(
        "never finished, although every lock gives up after 1 s: does `lock` wait without a limit?",
    )
}

/// Awaits a spawned task and re-raises its panic, if it panicked.
async fn joined<T>(handle: JoinHandle<T>) -> T {
    match within_limit(handle).await {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// Spawns a transfer.
fn spawn_transfer(
    bank: &Arc<Bank>,
    from: &'static str,
    to: &'static str,
    amount: u64,
) -> JoinHandle<Result<(), BankError>> {
    let bank = bank.clone();
    tokio::spawn(async move { bank.transfer(from, to, amount).await })
}

/// Every balance, read one by one (for checks made when nothing else runs).
async fn balances(bank: &Bank, names: &[&'static str]) -> Vec<u64> {
    let mut balances = Vec::new();
    for name in names {
        balances.push(within_limit(bank.balance(name)).await.unwrap());
    }
    balances
}

fn deadlock(lock: &'static str, waiter: &'static str, holder: &'static str) -> Deadlock {
    Deadlock {
        lock,
        waiter,
        holder: Some(holder),
        waited: LOCK_LIMIT,
    }
}

// ---- the named lock ---------------------------------------------------------

/// The guard gives access to the value; while it lives, the lock knows who
/// holds it, and dropping it frees the lock.
#[tokio::test(start_paused = true)]
async fn a_named_lock_records_its_holder_until_the_guard_is_dropped() {
    let lock = NamedMutex::new("ledger", LOCK_LIMIT, 5);
    assert_eq!(lock.holder(), None);

    let mut guard = within_limit(lock.lock("auditor")).await.unwrap();
    *guard += 1;
    assert_eq!(lock.holder(), Some("auditor"));
    drop(guard);

    assert_eq!(lock.holder(), None, "a dropped guard must clear the holder");
    let guard = within_limit(lock.lock("clerk")).await.unwrap();
    assert_eq!(*guard, 6);
    assert_eq!(lock.holder(), Some("clerk"));
}

/// A second locker waits until the first lets go, and gets the lock at that
/// very moment, however long before the limit.
#[tokio::test(start_paused = true)]
async fn a_second_locker_waits_for_the_first() {
    let lock = Arc::new(NamedMutex::new("ledger", LOCK_LIMIT, ()));
    let start = Instant::now();
    let first = tokio::spawn({
        let lock = lock.clone();
        async move {
            let _guard = lock.lock("first").await.unwrap();
            sleep(ms(300)).await;
        }
    });
    sleep(ms(1)).await; // the first task holds the lock

    assert_eq!(lock.holder(), Some("first"));
    let second = within_limit(lock.lock("second")).await;

    assert!(second.is_ok(), "the lock was free after 300 ms: {second:?}");
    assert_eq!(start.elapsed(), ms(300));
    assert_eq!(lock.holder(), Some("second"));
    drop(second);
    joined(first).await;
}

/// A wait that runs past the limit is reported as a deadlock, at exactly the
/// limit, naming the lock, the waiter and the holder; the holder keeps the
/// lock.
#[tokio::test(start_paused = true)]
async fn a_wait_longer_than_the_limit_is_reported_as_a_deadlock() {
    let lock = NamedMutex::new("ledger", LOCK_LIMIT, ());
    let _held = within_limit(lock.lock("slowpoke")).await.unwrap();
    let start = Instant::now();

    let report = within_limit(lock.lock("impatient")).await.unwrap_err();

    assert_eq!(
        start.elapsed(),
        LOCK_LIMIT,
        "reported too early or too late"
    );
    assert_eq!(report, deadlock("ledger", "impatient", "slowpoke"));
    assert_eq!(
        report.to_string(),
        "possible deadlock: `impatient` waited 1s for the lock `ledger`, held by `slowpoke`"
    );
    assert_eq!(lock.holder(), Some("slowpoke"), "the holder still holds it");
}

/// The reentrant deadlock itself, in one task: holding the lock and asking
/// for it again waits for ourselves. It is reported after the limit instead
/// of hanging forever, and names the culprit as the holder.
#[tokio::test(start_paused = true)]
async fn locking_a_lock_you_already_hold_is_reported_not_hung() {
    let start = Instant::now();

    // In a spawned task, as in a server (the test's own body is not a task).
    let (inner, outer) = joined(tokio::spawn(async move {
        let lock = NamedMutex::new("accounts", LOCK_LIMIT, 100);
        let outer = lock.lock("transfer").await.unwrap();
        let inner = lock.lock("withdraw").await.map(|_| ());
        (inner, *outer)
    }))
    .await;

    assert_eq!(
        inner.unwrap_err(),
        deadlock("accounts", "withdraw", "transfer"),
        "tokio's Mutex is not reentrant: the second lock() must wait for the first guard"
    );
    assert_eq!(
        start.elapsed(),
        LOCK_LIMIT,
        "the report comes when the wait runs past the limit"
    );
    assert_eq!(outer, 100, "the outer guard is still good");
}

/// A wait that ends before the limit is no deadlock.
#[tokio::test(start_paused = true)]
async fn a_wait_within_the_limit_is_not_a_deadlock() {
    let lock = Arc::new(NamedMutex::new("ledger", LOCK_LIMIT, ()));
    let holder = tokio::spawn({
        let lock = lock.clone();
        async move {
            let _guard = lock.lock("holder").await.unwrap();
            sleep(ms(999)).await;
        }
    });
    sleep(ms(1)).await; // the holder has the lock, until 1000 ms

    let start = Instant::now();
    let waited = within_limit(lock.lock("waiter")).await;

    assert!(waited.is_ok(), "the holder let go in time: {waited:?}");
    assert_eq!(start.elapsed(), ms(998));
    drop(waited);
    joined(holder).await;
}

/// Ownership is not per task: two futures joined in one task are two
/// callers, and the second simply waits for the first. (A "reentrancy check"
/// by task id would wrongly call this a deadlock.)
#[tokio::test(start_paused = true)]
async fn two_futures_of_one_task_take_turns_without_a_report() {
    let start = Instant::now();

    let (a, b, sum) = joined(tokio::spawn(async move {
        let lock = NamedMutex::new("ledger", LOCK_LIMIT, 0);
        let add = |who: &'static str| {
            let lock = &lock;
            async move {
                let mut guard = lock.lock(who).await?;
                sleep(ms(100)).await;
                *guard += 1;
                Ok::<_, Deadlock>(())
            }
        };
        let (a, b) = tokio::join!(add("a"), add("b"));
        let sum = *lock.lock("reader").await.unwrap();
        (a, b, sum)
    }))
    .await;

    assert_eq!((a, b), (Ok(()), Ok(())));
    assert_eq!(start.elapsed(), ms(200), "the second waits for the first");
    assert_eq!(sum, 2);
}

/// A waiter that has given up is out of the queue: it never takes the lock
/// later, so the next locker gets it as soon as it is free.
#[tokio::test(start_paused = true)]
async fn a_waiter_that_gave_up_does_not_take_the_lock_later() {
    let lock = NamedMutex::new("ledger", LOCK_LIMIT, ());
    let held = within_limit(lock.lock("slowpoke")).await.unwrap();
    assert!(within_limit(lock.lock("impatient")).await.is_err());

    drop(held);
    let start = Instant::now();
    let next = within_limit(lock.lock("next")).await;

    assert!(next.is_ok(), "the lock is free: {next:?}");
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(lock.holder(), Some("next"));
}

/// A `lock` future dropped while it waits (cancelled) leaves nothing behind:
/// the holder is still the real one, and the lock comes free as usual.
#[tokio::test(start_paused = true)]
async fn a_cancelled_wait_leaves_the_lock_as_it_was() {
    let lock = NamedMutex::new("ledger", LOCK_LIMIT, ());
    let held = within_limit(lock.lock("slowpoke")).await.unwrap();

    let cut = timeout(ms(100), lock.lock("cancelled")).await;
    assert!(cut.is_err(), "the wait was cancelled at 100 ms");
    assert_eq!(lock.holder(), Some("slowpoke"));

    drop(held);
    assert_eq!(lock.holder(), None);
    assert!(within_limit(lock.lock("next")).await.is_ok());
}

// ---- the bank ---------------------------------------------------------------

/// Deposit, withdraw and balance: one lock each, one audit line per change.
#[tokio::test(start_paused = true)]
async fn deposits_and_withdrawals_change_one_account_and_are_audited() {
    let bank = bank(&[("ann", 100)]);
    let start = Instant::now();

    assert_eq!(within_limit(bank.deposit("ann", 30)).await, Ok(130));
    assert_eq!(within_limit(bank.withdraw("ann", 50)).await, Ok(80));
    assert_eq!(within_limit(bank.balance("ann")).await, Ok(80));

    assert_eq!(start.elapsed(), ms(20), "two audit writes of 10 ms");
    assert_eq!(
        bank.audit().lines(),
        ["deposit 30 to ann", "withdraw 50 from ann"]
    );
    assert_eq!(bank.account("ann").unwrap().holder(), None);
}

/// Unknown accounts and overdrafts are errors that change nothing.
#[tokio::test(start_paused = true)]
async fn unknown_accounts_and_overdrafts_are_errors() {
    let bank = bank(&[("ann", 100)]);

    assert_eq!(
        within_limit(bank.deposit("zed", 1)).await,
        Err(BankError::UnknownAccount("zed".into()))
    );
    assert_eq!(
        within_limit(bank.balance("zed")).await,
        Err(BankError::UnknownAccount("zed".into()))
    );
    assert_eq!(
        within_limit(bank.withdraw("ann", 101)).await,
        Err(BankError::InsufficientFunds {
            account: "ann".into(),
            balance: 100,
            requested: 101
        })
    );
    assert_eq!(balances(&bank, &["ann"]).await, [100]);
    assert!(bank.audit().lines().is_empty(), "a refusal is not audited");
}

/// Taking out exactly what is there is allowed, by a withdrawal and by a
/// transfer alike: the balance ends at zero, not in an error.
#[tokio::test(start_paused = true)]
async fn the_whole_balance_can_be_taken_out() {
    let bank = bank(&[("ann", 100), ("bob", 40)]);

    assert_eq!(within_limit(bank.withdraw("ann", 100)).await, Ok(0));
    assert_eq!(within_limit(bank.transfer("bob", "ann", 40)).await, Ok(()));

    assert_eq!(balances(&bank, &["ann", "bob"]).await, [40, 0]);
}

/// The bug this kata is about: a transfer that locks both accounts and then
/// calls `withdraw` and `deposit`, which lock again. Written right, it
/// finishes in one audit write and moves the money.
#[tokio::test(start_paused = true)]
async fn a_transfer_finishes_and_moves_the_money() {
    let bank = bank(&[("ann", 100), ("bob", 0)]);
    let start = Instant::now();

    let result = within_limit(bank.transfer("ann", "bob", 30)).await;

    assert_eq!(
        result,
        Ok(()),
        "the transfer failed; a deadlock here means it took a lock it already held"
    );
    assert_eq!(start.elapsed(), ms(10), "one transfer, one audit write");
    assert_eq!(balances(&bank, &["ann", "bob"]).await, [70, 30]);
    assert_eq!(bank.audit().lines(), ["transfer 30 from ann to bob"]);
}

/// A transfer from an account to itself: one account, one lock, taken once.
/// It succeeds and changes nothing; an amount the account cannot cover is
/// still refused.
#[tokio::test(start_paused = true)]
async fn a_transfer_to_the_same_account_takes_its_lock_once() {
    let bank = bank(&[("ann", 100)]);
    let start = Instant::now();

    let result = within_limit(bank.transfer("ann", "ann", 30)).await;

    assert_eq!(
        result,
        Ok(()),
        "locking `from` and then `to` is locking the same lock twice when they are one account"
    );
    assert_eq!(start.elapsed(), ms(10));
    assert_eq!(balances(&bank, &["ann"]).await, [100]);
    assert_eq!(bank.audit().lines(), ["transfer 30 from ann to ann"]);

    assert_eq!(
        within_limit(bank.transfer("ann", "ann", 101)).await,
        Err(BankError::InsufficientFunds {
            account: "ann".into(),
            balance: 100,
            requested: 101
        })
    );
}

/// A transfer is all or nothing: when it fails, for whatever reason, no
/// balance has changed and nothing is audited.
#[tokio::test(start_paused = true)]
async fn a_failed_transfer_changes_nothing() {
    let bank = bank(&[("ann", 100), ("bob", 0)]);

    let short = within_limit(bank.transfer("bob", "ann", 30)).await;
    let to_nobody = within_limit(bank.transfer("ann", "zed", 30)).await;
    let from_nobody = within_limit(bank.transfer("zed", "bob", 30)).await;

    assert_eq!(
        short,
        Err(BankError::InsufficientFunds {
            account: "bob".into(),
            balance: 0,
            requested: 30
        })
    );
    assert_eq!(to_nobody, Err(BankError::UnknownAccount("zed".into())));
    assert_eq!(from_nobody, Err(BankError::UnknownAccount("zed".into())));
    assert_eq!(
        balances(&bank, &["ann", "bob"]).await,
        [100, 0],
        "a failed transfer moved money: was it withdrawn before the deposit failed?"
    );
    assert!(bank.audit().lines().is_empty());
}

/// `total` is a snapshot: it never sees money in flight. Here ann is busy
/// until 10 ms and bob until 20 ms when `total` and then a transfer from cat
/// to ann arrive. A total that reads and releases one account at a time lets
/// the transfer through between ann and cat, and counts 70 instead of 100;
/// so does a transfer that takes cat's money before it holds ann's lock.
#[tokio::test(start_paused = true)]
async fn total_never_sees_a_transfer_half_done() {
    let bank = bank(&[("ann", 0), ("bob", 0), ("cat", 100)]);
    let deposit = |name: &'static str| {
        let bank = bank.clone();
        tokio::spawn(async move { bank.deposit(name, 0).await })
    };
    let busy = [deposit("ann"), deposit("bob"), deposit("bob")];
    let total = tokio::spawn({
        let bank = bank.clone();
        async move { bank.total().await }
    });
    let transfer = spawn_transfer(&bank, "cat", "ann", 30);

    assert_eq!(
        joined(total).await,
        Ok(100),
        "the total saw money in flight: every account must be locked before any is read, \
         and a transfer must hold both accounts before it moves anything"
    );
    assert_eq!(joined(transfer).await, Ok(()));
    for handle in busy {
        assert_eq!(joined(handle).await, Ok(0));
    }
    assert_eq!(balances(&bank, &["ann", "bob", "cat"]).await, [30, 0, 70]);
}

/// Transfers in opposite directions, queued up behind each other: each takes
/// its locks in the same global order, so none ends up holding one account
/// while waiting for the other's holder, who waits for it.
#[tokio::test(start_paused = true)]
async fn opposite_transfers_do_not_deadlock() {
    let bank = bank(&[("ann", 100), ("bob", 100)]);
    let start = Instant::now();

    let handles: Vec<_> = (0..10)
        .map(|i| {
            if i % 2 == 0 {
                spawn_transfer(&bank, "ann", "bob", 10)
            } else {
                spawn_transfer(&bank, "bob", "ann", 5)
            }
        })
        .collect();
    let mut results = Vec::new();
    for handle in handles {
        results.push(joined(handle).await);
    }

    assert!(
        results.iter().all(Result::is_ok),
        "a transfer failed; a deadlock between two transfers means the locks were \
         not taken in one global order: {results:?}"
    );
    assert_eq!(
        start.elapsed(),
        ms(100),
        "ten transfers over the same two accounts, one audit write each"
    );
    assert_eq!(balances(&bank, &["ann", "bob"]).await, [75, 125]);
}

/// One lock per account: transfers between different accounts do not wait
/// for each other.
#[tokio::test(start_paused = true)]
async fn transfers_between_other_accounts_run_at_the_same_time() {
    let bank = bank(&[("ann", 100), ("bob", 0), ("cat", 100), ("dan", 0)]);
    let start = Instant::now();

    let first = spawn_transfer(&bank, "ann", "bob", 10);
    let second = spawn_transfer(&bank, "cat", "dan", 20);
    assert_eq!(
        (joined(first).await, joined(second).await),
        (Ok(()), Ok(()))
    );

    assert_eq!(
        start.elapsed(),
        ms(10),
        "the two transfers share no account, so neither should wait for the other"
    );
    assert_eq!(
        balances(&bank, &["ann", "bob", "cat", "dan"]).await,
        [90, 10, 80, 20]
    );
}

/// When a lock is stuck, the bank operation waiting for it reports it as a
/// deadlock under its own name, after the limit, and holds nothing after.
#[tokio::test(start_paused = true)]
async fn a_stuck_account_is_reported_by_the_operation_waiting_for_it() {
    let bank = bank(&[("ann", 100), ("bob", 0)]);
    let stuck = within_limit(bank.account("bob").unwrap().lock("stuck job"))
        .await
        .unwrap();
    let start = Instant::now();

    let deposit = within_limit(bank.deposit("bob", 1)).await;
    let transfer = within_limit(bank.transfer("ann", "bob", 30)).await;

    assert_eq!(
        deposit,
        Err(BankError::Deadlock(deadlock("bob", "deposit", "stuck job")))
    );
    assert_eq!(
        transfer,
        Err(BankError::Deadlock(deadlock(
            "bob",
            "transfer",
            "stuck job"
        )))
    );
    assert_eq!(start.elapsed(), LOCK_LIMIT * 2);
    assert_eq!(
        bank.account("ann").unwrap().holder(),
        None,
        "the failed transfer still holds ann's lock"
    );
    drop(stuck);
    assert_eq!(balances(&bank, &["ann", "bob"]).await, [100, 0]);
    assert!(bank.audit().lines().is_empty());
}

/// On four worker threads, 600 transfers among three accounts in every
/// direction (some from an account to itself) with totals taken meanwhile:
/// no deadlock, no money created or lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn transfers_on_many_threads_keep_the_total() {
    const NAMES: [&str; 3] = ["ann", "bob", "cat"];
    let bank = Arc::new(Bank::new(
        NAMES.iter().map(|name| (*name, 1000)),
        // Real time here: far above any honest wait (a few milliseconds), and
        // short enough that a deadlocking answer fails fast.
        Duration::from_secs(1),
        Duration::ZERO,
    ));

    let mut transfers = Vec::new();
    let mut totals = Vec::new();
    for i in 0..600_usize {
        let (from, to) = (NAMES[i % 3], NAMES[(i / 3) % 3]);
        transfers.push(spawn_transfer(&bank, from, to, (i % 7) as u64));
        if i % 50 == 0 {
            let bank = bank.clone();
            totals.push(tokio::spawn(async move { bank.total().await }));
        }
    }

    for handle in transfers {
        let result = joined(handle).await;
        assert!(
            matches!(result, Ok(()) | Err(BankError::InsufficientFunds { .. })),
            "{result:?}"
        );
    }
    for handle in totals {
        assert_eq!(joined(handle).await, Ok(3000), "money in flight was seen");
    }
    assert_eq!(within_limit(bank.total()).await, Ok(3000));
}
