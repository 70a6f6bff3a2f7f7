//! The given part of kata 19: the [`Status`] and [`Outcome`] a
//! [`Task`](crate::Task) reports, and [`panic_message`]. You do not need to
//! change this file; the tests and the reference solution use it as it is.

use std::any::Any;

/// Where a task stands, like the answers of Python's `done()`, `cancelled()`
/// and `exception()` rolled into one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Still running (or cancelled, but not stopped yet).
    Running,
    /// Finished and returned `Ok`.
    Succeeded,
    /// Finished by returning `Err` or by panicking.
    Failed,
    /// Stopped by [`Task::cancel`](crate::Task::cancel) before it finished.
    Cancelled,
}

/// How a task ended. Done callbacks and [`Task::wait`](crate::Task::wait)
/// receive one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The future returned `Ok(value)`.
    Succeeded(T),
    /// The future returned `Err(message)`, or panicked with `message`.
    Failed(String),
    /// The task was cancelled and its future dropped before it finished.
    Cancelled,
}

impl<T> Outcome<T> {
    /// The [`Status`] that this outcome stands for (never `Running`).
    pub fn status(&self) -> Status {
        match self {
            Outcome::Succeeded(_) => Status::Succeeded,
            Outcome::Failed(_) => Status::Failed,
            Outcome::Cancelled => Status::Cancelled,
        }
    }
}

/// The message of a panic, from the payload that `JoinError::into_panic` gives.
///
/// `panic!("literal")` carries a `&'static str`, `panic!("{x}")` a `String`;
/// anything else has no text to show. Pass the payload itself (`&*payload`),
/// not the `Box` around it.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}
