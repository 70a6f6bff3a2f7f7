//! Pitfall: one reply channel shared by every caller: send the command, then
//! take the next reply that comes back.
//!
//! The thread answers in order, so it looks as if the next reply must be
//! mine. It is not: between my send and my turn at the reply channel, another
//! caller can send after me and read before me, and takes my reply: on four
//! worker threads that happens now and then. It happens every time to the
//! caller after one who gave up half-way: the abandoned reply stays in the
//! channel, and the next caller reads it as its own. A `oneshot` per request
//! ties each reply to its caller.
//!
//! Caught by: a_command_whose_caller_gave_up_does_not_run

#[path = "../../../katas/35-sync-client-facade/src/given.rs"]
mod given;
pub use given::{Client, Command, Database, DbError, Executed, FacadeError, READ_TIMEOUT, Reply};

use std::sync::Arc;

use tokio::sync::{Mutex, mpsc, oneshot};

/// A handle: the thread's mailbox, and the one channel all replies come back on.
#[derive(Debug, Clone)]
pub struct DbHandle {
    requests: mpsc::UnboundedSender<Command>,
    /// The wrong answer: whoever reads next gets the next reply.
    replies: Arc<Mutex<mpsc::UnboundedReceiver<Result<Reply, DbError>>>>,
}

impl DbHandle {
    /// Starts the client's thread and waits until it has connected.
    pub async fn connect(db: &Database) -> Result<Self, FacadeError> {
        let (requests, mut mailbox) = mpsc::unbounded_channel::<Command>();
        let (answers, replies) = mpsc::unbounded_channel();
        let (connected, connection) = oneshot::channel();
        let db = db.clone();
        std::thread::spawn(move || {
            let mut client = match Client::connect(&db) {
                Ok(client) => client,
                Err(error) => {
                    let _ = connected.send(Err(error));
                    return;
                }
            };
            let _ = connected.send(Ok(()));
            while let Some(command) = mailbox.blocking_recv() {
                let _ = answers.send(client.execute(command));
            }
        });
        match connection.await {
            Ok(Ok(())) => Ok(Self {
                requests,
                replies: Arc::new(Mutex::new(replies)),
            }),
            Ok(Err(error)) => Err(FacadeError::Db(error)),
            Err(_) => Err(FacadeError::Gone),
        }
    }

    /// Sends the command, then takes the next reply.
    pub async fn execute(&self, command: Command) -> Result<Reply, FacadeError> {
        self.requests.send(command).map_err(|_| FacadeError::Gone)?;
        let mut replies = self.replies.lock().await;
        match replies.recv().await {
            Some(result) => result.map_err(FacadeError::Db),
            None => Err(FacadeError::Gone),
        }
    }
}
