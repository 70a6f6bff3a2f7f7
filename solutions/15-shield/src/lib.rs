//! Kata 15, reference solution: shield a critical write from cancellation.
//!
//! In tokio, cancelling a future means dropping it, and dropping a future
//! drops everything it is awaiting. A write awaited directly inside a request
//! handler is therefore cut off the moment the handler's caller gives up: a
//! timeout, a closed connection, a `select!` that picked another branch.
//!
//! The way out is ownership. A spawned task is owned by the runtime, not by
//! whoever awaits it, and dropping its `JoinHandle` *detaches* it instead of
//! cancelling it. So [`shield`] spawns the work and awaits the handle: while
//! the caller waits, it gets the result; when the caller is dropped, only the
//! handle goes, and the work carries on to the end.
//!
//! [`place_order`] shields just the write: validation before it and the
//! receipt after it stay cancellable, because a caller that has gone does not
//! need them.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/15-shield/src/given.rs"]
mod given;
pub use given::{RECEIPT_TIME, Store, VALIDATE_TIME, WRITE_TIME};

use std::future::Future;

/// Protects `work` from the caller's cancellation, like Python's
/// `asyncio.shield`.
///
/// The work starts at once, before the returned future is first polled, and
/// runs to completion even if that future is dropped. Awaiting the returned
/// future gives the work's output; a panic in the work is re-raised there.
pub fn shield<T>(work: impl Future<Output = T> + Send + 'static) -> impl Future<Output = T>
where
    T: Send + 'static,
{
    // Spawned here, in the plain (non-async) function, so the work starts
    // when `shield` is called, as Python's `shield` wraps its argument in a
    // task at once. Inside an `async` block it would start only when polled,
    // and not at all if the caller were dropped first.
    //
    // The runtime owns the task; the handle only observes it. Dropping a
    // `JoinHandle` detaches the task, which is the whole trick. (A `JoinSet`
    // would not do: dropping a `JoinSet` aborts its tasks.)
    let handle = tokio::spawn(work);
    async move {
        match handle.await {
            Ok(output) => output,
            // The work panicked: re-raise the panic itself in the caller,
            // with its own message, rather than a wrapped `JoinError`.
            Err(error) => match error.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                // Nobody holds an abort handle, so the only way the task can
                // be cancelled is the runtime shutting down under us.
                Err(error) => panic!("the shielded work was cancelled: {error}"),
            },
        }
    }
}

/// Handles one order: validates it, writes its record (shielded), then sends
/// its receipt.
///
/// If the caller gives up during validation, nothing is written. If it gives
/// up during the write, the write still completes. If it gives up during the
/// receipt, the receipt is not sent.
pub async fn place_order(store: std::sync::Arc<Store>, id: u32, item: &str) {
    // Not shielded: an order the caller has abandoned before it was accepted
    // need not be written at all.
    store.validate(id).await;

    // The critical part. The spawned task needs `'static` data, so it gets
    // its own `Arc` to the store and an owned record.
    let writer = std::sync::Arc::clone(&store);
    let record = format!("order {id}: {item}");
    shield(async move { writer.write(id, record).await }).await;

    // Not shielded either: if the caller is gone, there is nobody waiting
    // for the receipt, and dropping it here is the right thing.
    store.send_receipt(id).await;
}
