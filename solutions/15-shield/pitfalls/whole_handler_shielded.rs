//! Pitfall: shielding the whole handler.
//!
//! Spawning all of `place_order` does save the write, but it also keeps
//! validating orders nobody is waiting for any more and sends receipts to
//! callers who have left. Shield the critical step, not everything around it.
//!
//! Caught by: a_caller_giving_up_during_validation_writes_nothing, the_receipt_is_not_shielded

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{RECEIPT_TIME, Store, VALIDATE_TIME, WRITE_TIME, shield};

use std::sync::Arc;

pub async fn place_order(store: Arc<Store>, id: u32, item: &str) {
    // The wrong answer: every step is protected, not only the write.
    let item = item.to_owned();
    shield(async move {
        store.validate(id).await;
        store.write(id, format!("order {id}: {item}")).await;
        store.send_receipt(id).await;
    })
    .await;
}
