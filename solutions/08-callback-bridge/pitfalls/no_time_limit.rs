//! Pitfall: awaiting the callback with no time limit.
//!
//! If the legacy code keeps the callback and never calls it, nothing will ever
//! be sent and nothing will ever close the channel: the await lasts for ever,
//! and so does the task that made it.
//!
//! Caught by: a_callback_that_never_fires_times_out

#[path = "../src/lib.rs"]
mod given;
pub use given::{Behaviour, BridgeError, LegacyClient};

use std::time::Duration;

use tokio::sync::oneshot;

pub async fn lookup(client: &LegacyClient, key: &str, limit: Duration) -> Result<String, BridgeError> {
    let _ = limit;
    let (tx, rx) = oneshot::channel();
    let mut tx = Some(tx);
    client.lookup(key, move |value| {
        if let Some(tx) = tx.take() {
            let _ = tx.send(value);
        }
    });
    rx.await.map_err(|_| BridgeError::CallbackDropped)
}
