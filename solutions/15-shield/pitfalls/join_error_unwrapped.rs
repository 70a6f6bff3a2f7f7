//! Pitfall: unwrapping the `JoinError`.
//!
//! `handle.await.unwrap()` does fail when the work panics, but with a new
//! panic about a `JoinError`, not the work's own: the caller's panic message
//! and payload are lost. `resume_unwind(error.into_panic())` re-raises the
//! original.
//!
//! Caught by: a_panic_in_the_shielded_work_reaches_the_caller

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{RECEIPT_TIME, Store, VALIDATE_TIME, WRITE_TIME};

use std::sync::Arc;

pub fn shield<T>(work: impl Future<Output = T> + Send + 'static) -> impl Future<Output = T>
where
    T: Send + 'static,
{
    let handle = tokio::spawn(work);
    // The wrong answer: the work's panic is replaced by an unwrap panic.
    async move { handle.await.unwrap() }
}

pub async fn place_order(store: Arc<Store>, id: u32, item: &str) {
    store.validate(id).await;
    let writer = Arc::clone(&store);
    let record = format!("order {id}: {item}");
    shield(async move { writer.write(id, record).await }).await;
    store.send_receipt(id).await;
}
