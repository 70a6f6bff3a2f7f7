//! Kata 03: a generator coroutine, played by an actor.
//!
//! A Python generator used as a coroutine keeps private state and is driven by
//! its caller: `send` a value and get a reply, `throw` an error in, `close` it.
//! Build the same contract in async Rust as an *actor*: a spawned task that
//! owns a [`History`] and reads requests from a channel, each request carrying
//! a oneshot channel for its reply. [`Calculator`] is the caller's handle.
//!
//! The [`History`] and the [`CalcError`] are given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p generator-coroutine`, or `cargo xtask watch`.

mod given;
pub use given::{CalcError, History};

// TODO: define the requests the actor understands, one variant per call
// (add, throw, history, close), each with a `tokio::sync::oneshot::Sender`
// for its reply.

/// A handle to a running calculator. Cloning it gives another handle to the
/// *same* calculator.
#[derive(Debug, Clone)]
pub struct Calculator {
    // TODO: replace this placeholder with the sending side of the actor's
    // mailbox (`tokio::sync::mpsc::Sender` of your request type).
    _todo: (),
}

impl Calculator {
    /// Starts a calculator with an empty history, ready for its first call
    /// (no priming step, unlike a Python generator).
    ///
    /// # Panics
    /// Outside a tokio runtime.
    pub fn start() -> Self {
        // TODO: create the mailbox and spawn the actor task: it owns the
        // history and answers requests one at a time until it is closed.
        todo!("spawn the calculator's actor task")
    }

    /// Adds `a` and `b` (Python: `gen.send((a, b))`), records the sum in the
    /// history and returns it.
    ///
    /// # Errors
    /// [`CalcError::Overflow`] if the sum does not fit (the calculator carries
    /// on, its history unchanged); [`CalcError::Closed`] after
    /// [`close`](Self::close).
    pub async fn send(&self, a: i64, b: i64) -> Result<i64, CalcError> {
        // TODO: send the request with a fresh oneshot sender, await the reply.
        todo!("ask the actor for {a} + {b}")
    }

    /// Injects an error (Python: `gen.throw(...)`). The calculator handles it:
    /// it records `error` in [`History::errors`], keeps its results, and
    /// carries on.
    ///
    /// # Errors
    /// [`CalcError::Closed`] after [`close`](Self::close).
    pub async fn throw(&self, error: &str) -> Result<(), CalcError> {
        // TODO: the actor records the error and carries on with its state.
        todo!("inject the error {error:?}")
    }

    /// The history so far (Python: the `send("h")` of the classic example).
    ///
    /// # Errors
    /// [`CalcError::Closed`] after [`close`](Self::close).
    pub async fn history(&self) -> Result<History, CalcError> {
        // TODO: ask the actor for a copy of its history.
        todo!("ask {self:?} for its history")
    }

    /// Closes the calculator (Python: `gen.close()`) and returns its final
    /// history. Every call after this one, through any handle, fails with
    /// [`CalcError::Closed`].
    ///
    /// # Errors
    /// [`CalcError::Closed`] if it was already closed.
    pub async fn close(&self) -> Result<History, CalcError> {
        // TODO: the actor replies with its history and then *ends*, so that
        // later calls fail at once instead of waiting for a reply: it closes
        // its mailbox and drops every request still in it before returning.
        todo!("close {self:?}")
    }
}
