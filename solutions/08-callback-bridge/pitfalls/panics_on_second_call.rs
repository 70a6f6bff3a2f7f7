//! Pitfall: assuming the legacy code calls back exactly once.
//!
//! The first call takes the sender; the second finds nothing and the
//! `expect` panics, on a thread of the legacy library. We do not control
//! that code: a bridge must survive whatever it does.
//!
//! Caught by: a_callback_fired_twice_is_harmless

#[path = "../src/lib.rs"]
mod given;
pub use given::{Behaviour, BridgeError, LegacyClient};

use std::time::Duration;

use tokio::sync::oneshot;

pub async fn lookup(client: &LegacyClient, key: &str, limit: Duration) -> Result<String, BridgeError> {
    let (tx, rx) = oneshot::channel();
    let mut tx = Some(tx);
    client.lookup(key, move |value| {
        let _ = tx.take().expect("the callback fires once").send(value);
    });
    match tokio::time::timeout(limit, rx).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(_)) => Err(BridgeError::CallbackDropped),
        Err(_) => Err(BridgeError::TimedOut),
    }
}
