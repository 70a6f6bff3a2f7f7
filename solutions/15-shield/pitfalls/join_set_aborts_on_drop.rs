//! Pitfall: a "shield" built on a `JoinSet`.
//!
//! The work is spawned, so it looks detached, but a `JoinSet` owns its tasks:
//! dropping the set aborts every task in it. When the caller's future is
//! dropped, the set inside it goes too, and the write is cancelled after all.
//! Only a dropped `JoinHandle` detaches.
//!
//! Caught by: a_caller_giving_up_during_the_write_does_not_stop_it, every_abandoned_write_completes, shield_starts_the_work_at_once

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::{RECEIPT_TIME, Store, VALIDATE_TIME, WRITE_TIME};

use std::sync::Arc;

use tokio::task::JoinSet;

pub fn shield<T>(work: impl Future<Output = T> + Send + 'static) -> impl Future<Output = T>
where
    T: Send + 'static,
{
    // The wrong answer: the set, and with it the task, dies with the caller.
    let mut set = JoinSet::new();
    set.spawn(work);
    async move {
        match set.join_next().await.expect("one task was spawned") {
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
