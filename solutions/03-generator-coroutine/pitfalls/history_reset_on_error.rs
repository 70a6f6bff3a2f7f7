//! Pitfall: restarting the calculator with a fresh state after an error.
//!
//! "Let it crash and restart" is a fine policy for a failure the code cannot
//! handle, but `throw` asks for one it *does* handle, as an `except` around
//! the generator's `yield` would. Restarting throws the history away, and the
//! injected error is not even recorded.
//!
//! Caught by: an_injected_error_is_reported_in_the_history, an_injected_error_keeps_the_history, close_returns_the_final_history

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
    // Restart the "generator" with fresh state whenever it fails.
    loop {
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
                    let _ = reply.send(());
                    // The error escapes the body; the supervisor restarts it.
                    eprintln!("calculator failed: {error}; restarting");
                    break;
                }
                Command::History { reply } => {
                    let _ = reply.send(history.clone());
                }
                Command::Close { reply } => {
                    let _ = reply.send(history);
                    return;
                }
            }
        }
        if mailbox.is_closed() && mailbox.is_empty() {
            return;
        }
    }
}
