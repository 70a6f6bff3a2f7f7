//! Pitfall: sharing the client between threads anyway: a wrapper with
//! `unsafe impl Send`, a `Mutex` around it, and each command on tokio's
//! blocking pool.
//!
//! The compiler said no (`Client` is `!Send`), and `unsafe impl Send`
//! overrules it with a promise that is not true: the client is bound to the
//! thread that connected it, and a `Mutex` only makes the threads take turns,
//! it does not make them the same thread. The pool runs each command on
//! whichever of its threads is free, so as soon as two callers overlap, the
//! client is used on a thread it does not know (here it says so, as `sqlite3`
//! does; a real driver may simply corrupt its state). The commands also queue
//! on the lock, one pool thread each, and the pool thread that connected goes
//! back to the pool: no thread of the client's own ever ends.
//!
//! Caught by: callers_are_served_in_the_order_they_asked, replies_reach_their_own_callers_across_threads, a_refused_connection_is_an_error_and_its_thread_ends, the_thread_ends_when_the_last_handle_is_dropped, a_crash_in_the_client_fails_every_waiting_caller

#[path = "../../../katas/35-sync-client-facade/src/given.rs"]
mod given;
pub use given::{Client, Command, Database, DbError, Executed, FacadeError, READ_TIMEOUT, Reply};

use std::sync::{Arc, Mutex, PoisonError};

/// The wrong answer: "the Mutex makes it safe to send".
struct SharedClient(Client);

// SAFETY: none. This is the mistake: the client must stay on its thread.
unsafe impl Send for SharedClient {}

/// A handle on the one client, shared by every clone.
#[derive(Clone)]
pub struct DbHandle {
    client: Arc<Mutex<SharedClient>>,
}

impl std::fmt::Debug for DbHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbHandle").finish_non_exhaustive()
    }
}

impl DbHandle {
    /// Connects on a pool thread and keeps the client behind a lock.
    pub async fn connect(db: &Database) -> Result<Self, FacadeError> {
        let db = db.clone();
        let client = tokio::task::spawn_blocking(move || Client::connect(&db).map(SharedClient))
            .await
            .map_err(|_| FacadeError::Gone)??;
        Ok(Self {
            client: Arc::new(Mutex::new(client)),
        })
    }

    /// Runs the command on whichever pool thread is free, under the lock.
    pub async fn execute(&self, command: Command) -> Result<Reply, FacadeError> {
        let client = Arc::clone(&self.client);
        tokio::task::spawn_blocking(move || {
            let mut client = client.lock().unwrap_or_else(PoisonError::into_inner);
            client.0.execute(command)
        })
        .await
        .map_err(|_| FacadeError::Gone)?
        .map_err(FacadeError::Db)
    }
}
