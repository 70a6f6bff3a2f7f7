//! Pitfall: awaiting the write directly.
//!
//! `store.write(..).await` makes the write part of `place_order`'s future. When
//! the caller's timeout drops that future, the write is dropped with it,
//! halfway: the order is lost although the handler had already accepted it.
//!
//! Caught by: a_caller_giving_up_during_the_write_does_not_stop_it, every_abandoned_write_completes, shield_starts_the_work_at_once

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{RECEIPT_TIME, Store, VALIDATE_TIME, WRITE_TIME};

use std::sync::Arc;

/// The wrong answer: the "shield" is the future itself, awaited in place.
pub fn shield<T>(work: impl Future<Output = T> + Send + 'static) -> impl Future<Output = T>
where
    T: Send + 'static,
{
    work
}

pub async fn place_order(store: Arc<Store>, id: u32, item: &str) {
    store.validate(id).await;
    store.write(id, format!("order {id}: {item}")).await;
    store.send_receipt(id).await;
}
