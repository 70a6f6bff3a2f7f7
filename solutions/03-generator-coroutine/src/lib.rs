//! Kata 03, reference solution: a generator coroutine, played by an actor.
//!
//! A Python generator used as a coroutine is a piece of code with private
//! state that the caller drives step by step: `send` hands it a value and gets
//! the next reply, `throw` raises an error at the point where it is paused,
//! `close` ends it. The async-Rust shape with the same contract is an *actor*:
//! a spawned task that owns its state and reads requests from a channel.
//!
//! - [`Calculator::start`] spawns the actor. There is nothing to "prime": the
//!   task is already waiting at its first `recv`, ready for the first request.
//! - Every request carries a `oneshot` sender for its reply, so each caller
//!   gets exactly its own answer.
//! - The channel is FIFO and there is a single consumer, so requests are
//!   handled one at a time, in the order they were sent: the state needs no
//!   lock at all.
//! - Closing closes the mailbox, drops whatever is still in it, and ends the
//!   task. From then on every request fails *at once* with
//!   [`CalcError::Closed`], instead of waiting for a reply that will never come.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/03-generator-coroutine/src/given.rs"]
mod given;
pub use given::{CalcError, History};

use tokio::sync::{mpsc, oneshot};

/// One request to the actor, with the channel for its reply.
#[derive(Debug)]
enum Command {
    /// `gen.send((a, b))`: add, remember the sum, reply with it.
    Add {
        a: i64,
        b: i64,
        reply: oneshot::Sender<Result<i64, CalcError>>,
    },
    /// `gen.throw(error)`: handle the error, remember it, carry on.
    Throw {
        error: String,
        reply: oneshot::Sender<()>,
    },
    /// `gen.send("h")`: reply with the history so far.
    History { reply: oneshot::Sender<History> },
    /// `gen.close()`: reply with the final history, then stop.
    Close { reply: oneshot::Sender<History> },
}

/// How many requests may wait in the actor's mailbox before callers wait too.
const MAILBOX: usize = 32;

/// A handle to a running calculator. Cloning it gives another handle to the
/// *same* calculator.
#[derive(Debug, Clone)]
pub struct Calculator {
    /// The actor's mailbox. Every clone of the handle holds a sender; the
    /// actor holds the only receiver.
    commands: mpsc::Sender<Command>,
}

impl Calculator {
    /// Starts a calculator with an empty history, ready for its first call
    /// (no priming step, unlike a Python generator).
    ///
    /// # Panics
    /// Outside a tokio runtime.
    pub fn start() -> Self {
        // A bounded channel: a flood of callers waits for room in the mailbox
        // instead of piling up requests without limit.
        let (commands, mailbox) = mpsc::channel(MAILBOX);
        // The actor is spawned and detached: it needs no handle, because it
        // ends by itself on `Close`, or when every `Calculator` is dropped
        // (`recv` then returns `None`).
        tokio::spawn(run(mailbox));
        Self { commands }
    }

    /// Adds `a` and `b` (Python: `gen.send((a, b))`), records the sum in the
    /// history and returns it.
    ///
    /// # Errors
    /// [`CalcError::Overflow`] if the sum does not fit (the calculator carries
    /// on, its history unchanged); [`CalcError::Closed`] after
    /// [`close`](Self::close).
    pub async fn send(&self, a: i64, b: i64) -> Result<i64, CalcError> {
        self.call(|reply| Command::Add { a, b, reply }).await?
    }

    /// Injects an error (Python: `gen.throw(...)`). The calculator handles it:
    /// it records `error` in [`History::errors`], keeps its results, and
    /// carries on.
    ///
    /// # Errors
    /// [`CalcError::Closed`] after [`close`](Self::close).
    pub async fn throw(&self, error: &str) -> Result<(), CalcError> {
        let error = error.to_owned();
        self.call(|reply| Command::Throw { error, reply }).await
    }

    /// The history so far (Python: the `send("h")` of the classic example).
    ///
    /// # Errors
    /// [`CalcError::Closed`] after [`close`](Self::close).
    pub async fn history(&self) -> Result<History, CalcError> {
        self.call(|reply| Command::History { reply }).await
    }

    /// Closes the calculator (Python: `gen.close()`) and returns its final
    /// history. Every call after this one, through any handle, fails with
    /// [`CalcError::Closed`].
    ///
    /// # Errors
    /// [`CalcError::Closed`] if it was already closed.
    pub async fn close(&self) -> Result<History, CalcError> {
        self.call(|reply| Command::Close { reply }).await
    }

    /// Sends one request and waits for its reply.
    ///
    /// Both ways a closed actor can show itself become [`CalcError::Closed`]:
    /// the mailbox refuses the request because it is closed, or the request
    /// got in before that and the actor dropped it unanswered, with its reply
    /// sender. Neither can hang: the actor drops every request it does not
    /// answer (see the end of [`run`]), and a dropped sender is noticed at once.
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

/// The actor: the generator's body. It owns the history outright; nobody else
/// can touch it, so it needs no lock.
async fn run(mut mailbox: mpsc::Receiver<Command>) {
    let mut history = History::default();

    // `None` means every handle was dropped: nobody can ask anything any
    // more, so the actor ends quietly, as an unreferenced generator would.
    while let Some(command) = mailbox.recv().await {
        // A failed `reply.send` means the caller stopped waiting (it was
        // cancelled, say). That is the caller's business: the actor carries
        // on, so each `let _ =` below is deliberate.
        match command {
            Command::Add { a, b, reply } => {
                let sum = a.checked_add(b).ok_or(CalcError::Overflow { a, b });
                if let Ok(sum) = sum {
                    history.results.push(sum);
                }
                let _ = reply.send(sum);
            }
            Command::Throw { error, reply } => {
                // The error is *handled* here, like an `except` around the
                // generator's `yield`: recorded, and the loop goes on with the
                // same state. Nothing is reset.
                history.errors.push(error);
                let _ = reply.send(());
            }
            Command::History { reply } => {
                let _ = reply.send(history.clone());
            }
            Command::Close { reply } => {
                let _ = reply.send(history);
                break;
            }
        }
    }

    // Closed (or every handle is gone). First refuse new requests: `send`
    // fails from now on, which `call` turns into `CalcError::Closed`.
    mailbox.close();
    // Then drain what is already in the mailbox, until `recv` says it is
    // empty *and* no sender is half-way through a send. Dropping each request
    // drops its reply sender unanswered, so its caller gets `Closed` too.
    //
    // Why not simply return and let the receiver drop? Dropping it drains the
    // mailbox once, but a caller on another thread that had already reserved
    // room (inside `Sender::send`) can push its request just after that
    // drain. Nothing would ever drop that request, since the channel lives on
    // while any handle does, and its caller would wait for its reply forever.
    // `recv` after `close` waits for such a send to land, so nothing is left.
    while let Some(request) = mailbox.recv().await {
        drop(request);
    }
}
