//! Pitfall: a transaction that rolls back on `Err` but not on a panic.
//!
//! A `match` on the body's `Result` covers the two values it can return, but a
//! panic never returns a value: it unwinds past the `match`, and the
//! transaction is dropped unfinished instead of being rolled back.
//!
//! Caught by: transaction_rolls_back_when_the_body_panics

#[path = "../src/lib.rs"]
mod given;
pub use given::{Database, Log, Resource, STEP, Transaction, transfer, with_resource};

pub async fn transaction<T>(
    db: &Database,
    body: impl AsyncFnOnce(&mut Transaction<'_>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut tx = db.begin().await;
    match body(&mut tx).await {
        Ok(value) => {
            tx.commit().await;
            Ok(value)
        }
        Err(error) => {
            tx.rollback().await;
            Err(error)
        }
    }
}
