//! Pitfall: a `?` on the body's result before the close.
//!
//! `let value = body(&mut resource).await?;` reads naturally, but on `Err` the
//! `?` returns at once and the close below it never runs. The resource is
//! dropped instead, and `Drop` cannot await an asynchronous close.
//!
//! Caught by: close_runs_when_the_body_returns_an_error, nested_resources_close_in_reverse_order

#[path = "../src/lib.rs"]
mod given;
pub use given::{Database, Log, Resource, STEP, Transaction, transaction, transfer};

use std::future::Future;

pub async fn with_resource<T>(
    open: impl Future<Output = anyhow::Result<Resource>>,
    body: impl AsyncFnOnce(&mut Resource) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut resource = open.await?;
    let value = body(&mut resource).await?;
    resource.close().await;
    Ok(value)
}
