//! Pitfall: a transfer that ignores its `amount`.
//!
//! Moving a fixed sum (the one every example happened to use) looks right in
//! a test that always transfers 30. A transfer of any other amount moves the
//! wrong money.
//!
//! Caught by: transfer_of_the_whole_balance_empties_the_account

#[path = "../src/lib.rs"]
mod given;
pub use given::{Database, Log, Resource, STEP, Transaction, transaction, with_resource};

use anyhow::bail;

pub async fn transfer(db: &Database, from: &str, to: &str, _amount: i64) -> anyhow::Result<()> {
    const AMOUNT: i64 = 30;
    transaction(db, async |tx| {
        let left = tx.balance(from)? - AMOUNT;
        if left < 0 {
            bail!("{from:?} cannot pay {AMOUNT}");
        }
        tx.set_balance(from, left)?;
        let credited = tx.balance(to)? + AMOUNT;
        tx.set_balance(to, credited)?;
        Ok(())
    })
    .await
}
