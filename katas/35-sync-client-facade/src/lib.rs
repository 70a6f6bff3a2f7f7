//! Kata 35: an async facade over a blocking client that cannot leave its
//! thread.
//!
//! The given [`Client`] blocks on every call, and it is `!Send`: it must stay
//! on the thread that connected it. Write [`DbHandle`], an async handle that
//! any task on any thread can clone and use: one thread of its own owns the
//! client, requests reach it over a channel, and each reply comes back to its
//! own caller. The thread ends when the last handle is dropped.
//!
//! [`Database`], [`Client`], [`Command`], [`Reply`] and the errors are given,
//! in `src/given.rs`.
//!
//! Run the tests with `cargo test -p sync-client-facade`, or `cargo xtask watch`.

mod given;
pub use given::{Client, Command, Database, DbError, Executed, FacadeError, READ_TIMEOUT, Reply};

/// An async handle on one blocking [`Client`] that lives on a thread of its
/// own. Cheap to clone; every clone talks to the same client, and the client's
/// thread ends once the last clone is dropped.
#[derive(Debug, Clone)]
pub struct DbHandle {
    // TODO: what a handle needs to reach the client's thread.
    _todo: (),
}

impl DbHandle {
    /// Starts the client's thread, connects the client there, and returns a
    /// handle once it is connected.
    ///
    /// # Errors
    /// [`FacadeError::Db`] with the client's error when the connection fails;
    /// the thread has then ended.
    pub async fn connect(db: &Database) -> Result<Self, FacadeError> {
        // TODO: a thread of its own (not tokio's blocking pool: it lives as
        // long as the handles do) that connects, says how that went, then
        // serves requests one at a time until no handle is left.
        todo!("connect to {db:?} on a thread of its own")
    }

    /// Runs `command` on the client's thread and waits for its reply without
    /// blocking the async worker. Commands run one at a time, in the order
    /// they were asked for; a command whose caller gave up before its turn
    /// does not run at all.
    ///
    /// # Errors
    /// [`FacadeError::Db`] with the client's own error, or
    /// [`FacadeError::Gone`] when the client's thread has died (the client
    /// panicked): at once, never a hang and never a panic.
    pub async fn execute(&self, command: Command) -> Result<Reply, FacadeError> {
        // TODO: send the command with a one-shot channel for its reply, then
        // await the reply.
        todo!("run {command:?} through {self:?}")
    }
}
