//! The given part of kata 11: the [`ReturnWhen`] condition that
//! [`wait`](crate::wait) takes and the [`Waited`] it gives back. You do not
//! need to change this file; the tests and the reference solution use it as it
//! is.

use tokio::task::JoinHandle;

/// When [`wait`](crate::wait) should return (Python's `return_when`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as any task is done, successfully or not.
    FirstCompleted,
    /// As soon as any task fails; if none fails, when all are done.
    FirstException,
    /// When every task is done.
    AllCompleted,
}

/// What [`wait`](crate::wait) gives back: the finished outcomes and the
/// unfinished tasks.
#[derive(Debug)]
pub struct Waited<T> {
    /// Outcomes of the finished tasks, in the order they finished. A task
    /// that panicked or was aborted appears as an `Err`.
    pub done: Vec<anyhow::Result<T>>,
    /// The tasks still running, in the order they were given. They were not
    /// cancelled: await them, wait on them again, or abort them.
    pub pending: Vec<JoinHandle<anyhow::Result<T>>>,
}
