//! Pitfall: a close that does not close.
//!
//! The actor answers `close` with the history and keeps serving requests. A
//! closed generator raises `StopIteration` on every `send`; a calculator that
//! still adds after close hides a bug in the caller's logic.
//!
//! Caught by: every_call_after_close_is_a_clear_error, clones_share_one_calculator, calls_queued_behind_close_fail_instead_of_hanging

#[path = "../src/lib.rs"]
mod given;
pub use given::{CalcError, History};

use tokio::sync::{mpsc, oneshot};

enum Command {
    Add {
        a: i64,
        b: i64,
        reply: oneshot::Sender<Result<i64, CalcError>>,
    },
    Throw {
        error: String,
        reply: oneshot::Sender<()>,
    },
    History {
        reply: oneshot::Sender<History>,
    },
    Close {
        reply: oneshot::Sender<History>,
    },
}

#[derive(Debug, Clone)]
pub struct Calculator {
    commands: mpsc::Sender<Command>,
}

impl Calculator {
    pub fn start() -> Self {
        let (commands, mailbox) = mpsc::channel(32);
        tokio::spawn(run(mailbox));
        Self { commands }
    }

    pub async fn send(&self, a: i64, b: i64) -> Result<i64, CalcError> {
        self.call(|reply| Command::Add { a, b, reply }).await?
    }

    pub async fn throw(&self, error: &str) -> Result<(), CalcError> {
        let error = error.to_owned();
        self.call(|reply| Command::Throw { error, reply }).await
    }

    pub async fn history(&self) -> Result<History, CalcError> {
        self.call(|reply| Command::History { reply }).await
    }

    pub async fn close(&self) -> Result<History, CalcError> {
        self.call(|reply| Command::Close { reply }).await
    }

    async fn call<T>(
        &self,
        request: impl FnOnce(oneshot::Sender<T>) -> Command,
    ) -> Result<T, CalcError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(request(reply))
            .await
            .map_err(|_| CalcError::Closed)?;
        answer.await.map_err(|_| CalcError::Closed)
    }
}

async fn run(mut mailbox: mpsc::Receiver<Command>) {
    let mut history = History::default();
    while let Some(command) = mailbox.recv().await {
        match command {
            Command::Add { a, b, reply } => {
                let sum = a.checked_add(b).ok_or(CalcError::Overflow { a, b });
                if let Ok(sum) = sum {
                    history.results.push(sum);
                }
                let _ = reply.send(sum);
            }
            Command::Throw { error, reply } => {
                history.errors.push(error);
                let _ = reply.send(());
            }
            Command::History { reply } => {
                let _ = reply.send(history.clone());
            }
            Command::Close { reply } => {
                // Reply with the history, and carry on as if nothing happened.
                let _ = reply.send(history.clone());
            }
        }
    }
}
