//! Pitfall: waiting for the callback with a blocking std channel.
//!
//! `std::sync::mpsc::Receiver::recv_timeout` parks the *thread*, not the task.
//! The async worker can run nothing else until the callback fires: on a
//! current-thread runtime ten lookups run one after another, and every other
//! task (a heartbeat, a server) freezes while one lookup waits.
//!
//! Caught by: ten_lookups_wait_together, other_tasks_keep_running_while_a_lookup_waits

#[path = "../src/lib.rs"]
mod given;
pub use given::{Behaviour, BridgeError, LegacyClient};

use std::time::Duration;

use std::sync::mpsc::{self, RecvTimeoutError};

pub async fn lookup(client: &LegacyClient, key: &str, limit: Duration) -> Result<String, BridgeError> {
    let (tx, rx) = mpsc::channel();
    client.lookup(key, move |value| {
        let _ = tx.send(value);
    });
    match rx.recv_timeout(limit) {
        Ok(value) => Ok(value),
        Err(RecvTimeoutError::Timeout) => Err(BridgeError::TimedOut),
        Err(RecvTimeoutError::Disconnected) => Err(BridgeError::CallbackDropped),
    }
}
