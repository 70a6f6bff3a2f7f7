//! Pitfall: committing whatever the body returned.
//!
//! Treating the transaction like a plain resource (always "close" it with a
//! commit) keeps the half-done writes of a body that failed: a debit without
//! its credit.
//!
//! Caught by: transaction_rolls_back_when_the_body_returns_an_error

#[path = "../src/lib.rs"]
mod given;
pub use given::{Database, Log, Resource, STEP, Transaction, transfer, with_resource};

use std::panic::{AssertUnwindSafe, resume_unwind};

use futures::FutureExt;

pub async fn transaction<T>(
    db: &Database,
    body: impl AsyncFnOnce(&mut Transaction<'_>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut tx = db.begin().await;
    let outcome = AssertUnwindSafe(body(&mut tx)).catch_unwind().await;
    tx.commit().await;
    match outcome {
        Ok(result) => result,
        Err(panic) => resume_unwind(panic),
    }
}
