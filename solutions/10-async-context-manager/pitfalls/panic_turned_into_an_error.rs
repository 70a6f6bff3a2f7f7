//! Pitfall: catching the body's panic and returning it as an `Err`.
//!
//! The resource is closed, but the panic is gone: the caller gets an ordinary
//! error value for what was a bug, and the original message is lost. A
//! context manager must let the exception go on after `__aexit__`; in Rust,
//! that is `resume_unwind` with the caught payload.
//!
//! Caught by: close_runs_when_the_body_panics, the_body_panic_reaches_the_caller_unchanged

#[path = "../src/lib.rs"]
mod given;
pub use given::{Database, Log, Resource, STEP, Transaction, transaction, transfer};

use std::future::Future;
use std::panic::AssertUnwindSafe;

use anyhow::anyhow;
use futures::FutureExt;

pub async fn with_resource<T>(
    open: impl Future<Output = anyhow::Result<Resource>>,
    body: impl AsyncFnOnce(&mut Resource) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut resource = open.await?;
    let outcome = AssertUnwindSafe(body(&mut resource)).catch_unwind().await;
    resource.close().await;
    outcome.unwrap_or_else(|_panic| Err(anyhow!("the body panicked")))
}
