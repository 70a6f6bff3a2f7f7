//! Pitfall: handing the close to a detached task.
//!
//! "Rust has no async drop, so spawn the close" returns to the caller before
//! the resource is closed. The caller may reopen the file, or the runtime may
//! shut down, while the close is still pending.
//!
//! Caught by: close_has_finished_when_with_resource_returns

#[path = "../src/lib.rs"]
mod given;
pub use given::{Database, Log, Resource, STEP, Transaction, transaction, transfer};

use std::future::Future;
use std::panic::{AssertUnwindSafe, resume_unwind};

use futures::FutureExt;

pub async fn with_resource<T>(
    open: impl Future<Output = anyhow::Result<Resource>>,
    body: impl AsyncFnOnce(&mut Resource) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut resource = open.await?;
    let outcome = AssertUnwindSafe(body(&mut resource)).catch_unwind().await;
    tokio::spawn(resource.close());
    match outcome {
        Ok(result) => result,
        Err(panic) => resume_unwind(panic),
    }
}
