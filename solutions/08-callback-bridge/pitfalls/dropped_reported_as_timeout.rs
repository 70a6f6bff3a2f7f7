//! Pitfall: reporting a dropped callback as a timeout.
//!
//! The two failures call for different reactions: a dropped callback means the
//! lookup failed and retrying may help now; a timeout means it is slow or
//! stuck. Folding both into one error, or waiting out the limit when the
//! channel is already closed, loses that information.
//!
//! Caught by: a_dropped_callback_is_an_error_not_a_timeout

#[path = "../src/lib.rs"]
mod given;
pub use given::{Behaviour, BridgeError, LegacyClient};

use std::time::Duration;

use tokio::sync::oneshot;

pub async fn lookup(client: &LegacyClient, key: &str, limit: Duration) -> Result<String, BridgeError> {
    let (tx, rx) = oneshot::channel();
    let mut tx = Some(tx);
    client.lookup(key, move |value| {
        if let Some(tx) = tx.take() {
            let _ = tx.send(value);
        }
    });
    match tokio::time::timeout(limit, rx).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(_)) | Err(_) => Err(BridgeError::TimedOut),
    }
}
