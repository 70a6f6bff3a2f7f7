//! Kata 10 tests: the async `with` block and the transaction.
//!
//! Every step of the given `Resource` and `Database` writes an event into a
//! shared `Log`, so a test can assert the exact order in which things were
//! opened, used, closed, committed and rolled back. A resource or transaction
//! that is dropped without being finished logs that too.
//!
//! The tests run on tokio's paused clock: each simulated step takes 100 ms of
//! virtual time and no real time. Bodies that panic run in a spawned task, so
//! the test can observe the panic through the `JoinHandle` instead of crashing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::anyhow;
use async_context_manager::{Database, Log, Resource, STEP, transaction, transfer, with_resource};
use tokio::time::{Instant, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// The text of a panic payload (panics with a literal carry a `&str`).
fn panic_message(error: tokio::task::JoinError) -> String {
    assert!(
        error.is_panic(),
        "the task was cancelled instead of panicking"
    );
    let payload = error.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "<not a string>".to_owned())
}

/// Runs one transfer; a hang fails the test, in virtual time.
async fn transfer_within_limit(
    db: &Database,
    from: &str,
    to: &str,
    amount: i64,
) -> anyhow::Result<()> {
    timeout(LIMIT, transfer(db, from, to, amount))
        .await
        .expect("transfer never finished")
}

/// On success the events are exactly: open, the body's work, close.
#[tokio::test(start_paused = true)]
async fn body_runs_between_open_and_close() {
    let log = Log::new();

    let result = timeout(
        LIMIT,
        with_resource(Resource::open(&log, "data.txt"), async |file| {
            file.write("hello").await;
            Ok(file.name().len())
        }),
    )
    .await
    .expect("with_resource never finished");

    assert_eq!(result.expect("the body succeeded"), 8);
    assert_eq!(
        log.events(),
        ["open data.txt", "write data.txt: hello", "close data.txt"],
        "the resource was not opened, used and closed in that order"
    );
}

/// The close is awaited: it has finished when `with_resource` returns.
#[tokio::test(start_paused = true)]
async fn close_has_finished_when_with_resource_returns() {
    let log = Log::new();
    let start = Instant::now();

    let _ = timeout(
        LIMIT,
        with_resource(Resource::open(&log, "data.txt"), async |file| {
            file.write("hello").await;
            Ok(())
        }),
    )
    .await
    .expect("with_resource never finished");

    assert_eq!(
        start.elapsed(),
        3 * STEP,
        "open, write and close take 100 ms each: the close was not awaited"
    );
    assert_eq!(
        log.events().last().map(String::as_str),
        Some("close data.txt"),
        "with_resource returned before the close had finished"
    );
}

/// A body that returns `Err` still gets its resource closed, and the error comes back.
#[tokio::test(start_paused = true)]
async fn close_runs_when_the_body_returns_an_error() {
    let log = Log::new();

    let result: anyhow::Result<()> = timeout(
        LIMIT,
        with_resource(Resource::open(&log, "data.txt"), async |file| {
            file.write("half").await;
            Err(anyhow!("disk full"))
        }),
    )
    .await
    .expect("with_resource never finished");

    let error = result.expect_err("the body's error must reach the caller");
    assert_eq!(
        error.to_string(),
        "disk full",
        "the body's error was changed"
    );
    assert_eq!(
        log.events(),
        ["open data.txt", "write data.txt: half", "close data.txt"],
        "the resource was not closed after the body failed"
    );
}

/// A body that panics still gets its resource closed before the panic goes on.
#[tokio::test(start_paused = true)]
async fn close_runs_when_the_body_panics() {
    let log = Log::new();
    let task_log = log.clone();

    let task = tokio::spawn(async move {
        with_resource(Resource::open(&task_log, "data.txt"), async |file| {
            file.write("half").await;
            if file.name() == "data.txt" {
                panic!("disk on fire");
            }
            Ok(())
        })
        .await
    });
    let joined = timeout(LIMIT, task).await.expect("the task never finished");

    assert!(joined.is_err(), "the panic was swallowed");
    assert_eq!(
        log.events(),
        ["open data.txt", "write data.txt: half", "close data.txt"],
        "the resource was not closed after the body panicked"
    );
}

/// The caller sees the body's own panic, message included, not an error value.
#[tokio::test(start_paused = true)]
async fn the_body_panic_reaches_the_caller_unchanged() {
    let log = Log::new();
    let task_log = log.clone();

    let task = tokio::spawn(async move {
        with_resource(Resource::open(&task_log, "data.txt"), async |file| {
            if file.name() == "data.txt" {
                panic!("disk on fire");
            }
            Ok(())
        })
        .await
    });
    let joined = timeout(LIMIT, task).await.expect("the task never finished");

    let error = joined.expect_err("the body panicked: with_resource must panic too");
    assert_eq!(
        panic_message(error),
        "disk on fire",
        "the panic must go on with its original payload (resume_unwind)"
    );
}

/// When opening fails, the body never runs and there is nothing to close.
#[tokio::test(start_paused = true)]
async fn a_failed_open_runs_neither_body_nor_close() {
    let log = Log::new();
    let body_ran = AtomicBool::new(false);

    let result = timeout(
        LIMIT,
        with_resource(async { Err(anyhow!("no such file")) }, async |_file| {
            body_ran.store(true, Ordering::SeqCst);
            Ok(())
        }),
    )
    .await
    .expect("with_resource never finished");

    let error = result.expect_err("the open failed: with_resource must fail");
    assert_eq!(error.to_string(), "no such file");
    assert!(
        !body_ran.load(Ordering::SeqCst),
        "the body ran without a resource"
    );
    assert!(
        log.events().is_empty(),
        "nothing was opened, so nothing happens"
    );
}

/// Nested blocks unwind like nested `async with`: the inner resource closes first.
#[tokio::test(start_paused = true)]
async fn nested_resources_close_in_reverse_order() {
    let log = Log::new();

    let result = timeout(
        LIMIT,
        with_resource(Resource::open(&log, "outer"), async |outer| {
            outer.write("1").await;
            with_resource(Resource::open(&log, "inner"), async |inner| {
                inner.write("2").await;
                outer.write("3").await;
                Err::<(), _>(anyhow!("inner failed"))
            })
            .await
        }),
    )
    .await
    .expect("with_resource never finished");

    assert_eq!(
        result.expect_err("the inner body failed").to_string(),
        "inner failed"
    );
    assert_eq!(
        log.events(),
        [
            "open outer",
            "write outer: 1",
            "open inner",
            "write inner: 2",
            "write outer: 3",
            "close inner",
            "close outer",
        ],
        "nested resources must close innermost first, also on the error path"
    );
}

/// A body that returns `Ok` is committed: its writes become visible.
#[tokio::test(start_paused = true)]
async fn transaction_commits_when_the_body_succeeds() {
    let log = Log::new();
    let db = Database::new(&log, [("alice", 100)]);

    let result = timeout(
        LIMIT,
        transaction(&db, async |tx| {
            let balance = tx.balance("alice")?;
            tx.set_balance("alice", balance + 5)?;
            Ok(balance)
        }),
    )
    .await
    .expect("transaction never finished");

    assert_eq!(result.expect("the body succeeded"), 100);
    assert_eq!(
        log.events(),
        ["begin", "commit"],
        "a successful body must be committed"
    );
    assert_eq!(db.balance("alice"), Some(105));
}

/// A body that returns `Err` is rolled back: none of its writes are visible.
#[tokio::test(start_paused = true)]
async fn transaction_rolls_back_when_the_body_returns_an_error() {
    let log = Log::new();
    let db = Database::new(&log, [("alice", 100)]);

    let result: anyhow::Result<()> = timeout(
        LIMIT,
        transaction(&db, async |tx| {
            tx.set_balance("alice", 0)?;
            Err(anyhow!("changed my mind"))
        }),
    )
    .await
    .expect("transaction never finished");

    let error = result.expect_err("the body's error must reach the caller");
    assert_eq!(error.to_string(), "changed my mind");
    assert_eq!(
        log.events(),
        ["begin", "rollback"],
        "a failed body must be rolled back"
    );
    assert_eq!(
        db.balance("alice"),
        Some(100),
        "a failed body's write was kept"
    );
}

/// A body that panics is rolled back, and the panic goes on to the caller.
#[tokio::test(start_paused = true)]
async fn transaction_rolls_back_when_the_body_panics() {
    let log = Log::new();
    let db = Arc::new(Database::new(&log, [("alice", 100)]));
    let task_db = Arc::clone(&db);

    let task = tokio::spawn(async move {
        transaction(&task_db, async |tx| {
            tx.set_balance("alice", 0)?;
            if tx.balance("alice")? == 0 {
                panic!("bug in the body");
            }
            Ok(())
        })
        .await
    });
    let joined = timeout(LIMIT, task).await.expect("the task never finished");

    let error = joined.expect_err("the body panicked: transaction must panic too");
    assert_eq!(panic_message(error), "bug in the body");
    assert_eq!(
        log.events(),
        ["begin", "rollback"],
        "a panicking body must be rolled back"
    );
    assert_eq!(
        db.balance("alice"),
        Some(100),
        "a panicking body's write was kept"
    );
}

/// A transfer between two existing accounts commits both sides.
#[tokio::test(start_paused = true)]
async fn transfer_moves_money_between_accounts() {
    let log = Log::new();
    let db = Database::new(&log, [("alice", 100), ("bob", 20)]);

    transfer_within_limit(&db, "alice", "bob", 30)
        .await
        .expect("alice can pay 30");

    assert_eq!(db.balance("alice"), Some(70));
    assert_eq!(db.balance("bob"), Some(50));
    assert_eq!(log.events(), ["begin", "commit"]);
}

/// A transfer to a missing account fails after the debit: the debit is rolled back.
#[tokio::test(start_paused = true)]
async fn transfer_to_an_unknown_account_changes_nothing() {
    let log = Log::new();
    let db = Database::new(&log, [("alice", 100)]);

    let result = transfer_within_limit(&db, "alice", "nobody", 30).await;

    assert!(
        result.is_err(),
        "there is no account \"nobody\" to pay into"
    );
    assert_eq!(db.balance("alice"), Some(100), "alice lost money to nobody");
    assert_eq!(log.events(), ["begin", "rollback"]);
}

/// A transfer larger than the balance fails and changes nothing.
#[tokio::test(start_paused = true)]
async fn transfer_that_would_overdraw_changes_nothing() {
    let log = Log::new();
    let db = Database::new(&log, [("alice", 10), ("bob", 0)]);

    let result = transfer_within_limit(&db, "alice", "bob", 30).await;

    assert!(result.is_err(), "alice holds 10 and cannot pay 30");
    assert_eq!(db.balance("alice"), Some(10));
    assert_eq!(db.balance("bob"), Some(0));
    assert_eq!(log.events(), ["begin", "rollback"]);
}

/// A transfer of the payer's whole balance is allowed: exactly zero is no overdraft.
#[tokio::test(start_paused = true)]
async fn transfer_of_the_whole_balance_empties_the_account() {
    let log = Log::new();
    let db = Database::new(&log, [("carol", 45), ("dave", 5)]);

    transfer_within_limit(&db, "carol", "dave", 45)
        .await
        .expect("carol holds 45 and can pay all of it");

    assert_eq!(
        db.balance("carol"),
        Some(0),
        "carol should have paid exactly the amount asked"
    );
    assert_eq!(
        db.balance("dave"),
        Some(50),
        "dave should have received exactly the amount asked"
    );
    assert_eq!(log.events(), ["begin", "commit"]);
}

/// A transfer of zero succeeds and changes nothing: zero is a valid amount.
#[tokio::test(start_paused = true)]
async fn transfer_of_zero_changes_no_balance() {
    let log = Log::new();
    let db = Database::new(&log, [("alice", 100), ("bob", 20)]);

    transfer_within_limit(&db, "alice", "bob", 0)
        .await
        .expect("a transfer of zero is allowed");

    assert_eq!(db.balance("alice"), Some(100));
    assert_eq!(db.balance("bob"), Some(20));
}

/// A negative amount is refused: it would take money from the payee.
#[tokio::test(start_paused = true)]
async fn transfer_of_a_negative_amount_fails_and_changes_nothing() {
    let log = Log::new();
    let db = Database::new(&log, [("alice", 100), ("bob", 20)]);

    let result = transfer_within_limit(&db, "alice", "bob", -30).await;

    assert!(
        result.is_err(),
        "a transfer of -30 from alice to bob must fail: it would take 30 from bob"
    );
    assert_eq!(db.balance("alice"), Some(100), "alice's balance changed");
    assert_eq!(db.balance("bob"), Some(20), "bob's balance changed");
}

/// A transfer from an account to itself succeeds and creates no money.
#[tokio::test(start_paused = true)]
async fn transfer_to_the_same_account_changes_no_balance() {
    let log = Log::new();
    let db = Database::new(&log, [("alice", 100), ("bob", 20)]);

    transfer_within_limit(&db, "alice", "alice", 30)
        .await
        .expect("alice holds 100 and can pay herself 30");

    assert_eq!(
        db.balance("alice"),
        Some(100),
        "a transfer from alice to alice changed her balance: read the payee's balance \
         after the debit, not before"
    );
    assert_eq!(db.balance("bob"), Some(20));
}

/// A transfer to oneself is checked like any other: too much, or no such account, fails.
#[tokio::test(start_paused = true)]
async fn transfer_to_the_same_account_is_checked_like_any_other() {
    let log = Log::new();
    let db = Database::new(&log, [("alice", 100)]);

    let too_much = transfer_within_limit(&db, "alice", "alice", 130).await;
    assert!(
        too_much.is_err(),
        "alice holds 100 and cannot pay 130, not even to herself"
    );
    assert_eq!(db.balance("alice"), Some(100));

    let unknown = transfer_within_limit(&db, "nobody", "nobody", 0).await;
    assert!(unknown.is_err(), "there is no account \"nobody\"");
    assert_eq!(db.balance("nobody"), None, "a transfer created an account");
}

/// A credit that would overflow the payee's balance is an error, not a panic or a wrap.
#[tokio::test(start_paused = true)]
async fn transfer_that_would_overflow_the_payee_fails_and_changes_nothing() {
    let log = Log::new();
    let db = Arc::new(Database::new(
        &log,
        [("alice", 100), ("bob", i64::MAX - 10)],
    ));
    let task_db = Arc::clone(&db);

    let task = tokio::spawn(async move { transfer(&task_db, "alice", "bob", 30).await });
    let result = timeout(LIMIT, task)
        .await
        .expect("transfer never finished")
        .expect("transfer panicked: an overflowing credit must be an `Err` (checked_add)");

    assert!(
        result.is_err(),
        "bob cannot hold 30 more than i64::MAX - 10: the transfer must fail"
    );
    assert_eq!(db.balance("alice"), Some(100), "alice's balance changed");
    assert_eq!(
        db.balance("bob"),
        Some(i64::MAX - 10),
        "bob's balance changed"
    );
}

/// Cut off at any point (a timeout), a transfer is all or nothing.
#[tokio::test(start_paused = true)]
async fn transfer_cancelled_at_any_step_is_all_or_nothing() {
    // Every 50 ms, from before the first step ends to after the last one.
    for cut in (1..=9).map(|n| n * STEP / 2) {
        let log = Log::new();
        let db = Database::new(&log, [("alice", 100), ("bob", 20)]);

        let finished = timeout(cut, transfer(&db, "alice", "bob", 30)).await;

        let balances = (db.balance("alice"), db.balance("bob"));
        match finished {
            Ok(result) => {
                result.expect("alice can pay 30");
                assert_eq!(balances, (Some(70), Some(50)));
            }
            Err(_) => assert_eq!(
                balances,
                (Some(100), Some(20)),
                "the transfer was cut off after {cut:?} and left half its work \
                 committed: debit and credit must be in one transaction"
            ),
        }
    }
}
