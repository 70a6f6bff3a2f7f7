//! Pitfall: handling `Ok` and `Err`, but not a panic.
//!
//! Without `catch_unwind`, a panic in the body unwinds straight through the
//! helper: the `.await` on the close is never reached, and the resource is only
//! dropped. This is the `try`/`finally` a Python programmer expects from
//! `async with`, missing its panic half.
//!
//! Caught by: close_runs_when_the_body_panics

#[path = "../src/lib.rs"]
mod given;
pub use given::{Database, Log, Resource, STEP, Transaction, transaction, transfer};

use std::future::Future;

pub async fn with_resource<T>(
    open: impl Future<Output = anyhow::Result<Resource>>,
    body: impl AsyncFnOnce(&mut Resource) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut resource = open.await?;
    let result = body(&mut resource).await;
    resource.close().await;
    result
}
