//! Pitfall: spawning inside the returned `async` block.
//!
//! An `async` block runs nothing until it is polled, so the work is spawned
//! only on the first poll. If the caller is dropped before that, the work
//! never starts. Python's `shield` wraps its argument in a task at once; in
//! Rust the spawn has to happen in the plain function.
//!
//! Caught by: shield_starts_the_work_at_once

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{RECEIPT_TIME, Store, VALIDATE_TIME, WRITE_TIME};

use std::sync::Arc;

pub fn shield<T>(work: impl Future<Output = T> + Send + 'static) -> impl Future<Output = T>
where
    T: Send + 'static,
{
    // The wrong answer: nothing is spawned until this block is first polled.
    async move {
        match tokio::spawn(work).await {
            Ok(output) => output,
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
}

pub async fn place_order(store: Arc<Store>, id: u32, item: &str) {
    store.validate(id).await;
    let writer = Arc::clone(&store);
    let record = format!("order {id}: {item}");
    shield(async move { writer.write(id, record).await }).await;
    store.send_receipt(id).await;
}
