//! Pitfall: not awaiting the shielded write, and waiting a fixed time instead.
//!
//! Spawning the write and sleeping `WRITE_TIME` before the receipt gives the
//! right timeline with the usual store, but it only guesses when the write
//! ends. A slower write and the receipt goes out before the order is stored;
//! a failed write and the receipt goes out anyway. Await the shield: its
//! output (or its panic) is how the caller knows the write really ended.
//!
//! Caught by: the_receipt_waits_for_the_write_however_long_it_takes

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{RECEIPT_TIME, Store, VALIDATE_TIME, WRITE_TIME, shield};

use std::sync::Arc;

pub async fn place_order(store: Arc<Store>, id: u32, item: &str) {
    store.validate(id).await;
    let writer = Arc::clone(&store);
    let record = format!("order {id}: {item}");
    // The wrong answer: the write is detached, and its end is guessed.
    drop(shield(async move { writer.write(id, record).await }));
    tokio::time::sleep(WRITE_TIME).await;
    store.send_receipt(id).await;
}
