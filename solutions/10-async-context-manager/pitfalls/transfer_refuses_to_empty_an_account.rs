//! Pitfall: an overdraft check that is off by one.
//!
//! `if left <= 0 { bail!(…) }` refuses a transfer that would leave the payer
//! at exactly zero. Emptying an account is not an overdraft: only a balance
//! below zero is.
//!
//! Caught by: transfer_of_the_whole_balance_empties_the_account

#[path = "../src/lib.rs"]
mod given;
pub use given::{Database, Log, Resource, STEP, Transaction, transaction, with_resource};

use anyhow::bail;

pub async fn transfer(db: &Database, from: &str, to: &str, amount: i64) -> anyhow::Result<()> {
    transaction(db, async |tx| {
        let left = tx.balance(from)? - amount;
        if left <= 0 {
            bail!("{from:?} cannot pay {amount}");
        }
        tx.set_balance(from, left)?;
        let credited = tx.balance(to)? + amount;
        tx.set_balance(to, credited)?;
        Ok(())
    })
    .await
}
