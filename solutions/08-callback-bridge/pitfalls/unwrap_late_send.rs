//! Pitfall: unwrapping the send inside the callback.
//!
//! After a timeout the receiver is gone, so a late callback's `send` fails.
//! Unwrapping it panics on the legacy thread, long after the caller moved on.
//!
//! Caught by: a_callback_after_the_timeout_is_harmless

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
            tx.send(value).expect("someone is waiting for the value");
        }
    });
    match tokio::time::timeout(limit, rx).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(_)) => Err(BridgeError::CallbackDropped),
        Err(_) => Err(BridgeError::TimedOut),
    }
}
