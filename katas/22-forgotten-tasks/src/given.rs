//! The given part of kata 22: the [`ShutdownReport`] that
//! [`Registry::shutdown`] returns, and the `Default` impl of [`Registry`]. You
//! do not need to change this file; the tests and the reference solution use
//! it as it is.

// `super`, not `crate`: the `Registry` meant is the one beside `mod given;`,
// which is not the crate root when a pitfall includes the solution as a module.
use super::Registry;

/// What [`Registry::shutdown`] did with the tasks that were still running
/// when it was called. Both lists are sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShutdownReport {
    /// The tasks that ended on their own (a panic counts: the task ended):
    /// within the grace period, or after it when the abort could not cut them
    /// short (a task busy without an `.await` stops only at its next one).
    pub finished: Vec<String>,
    /// The tasks that were still running when the grace period ran out and
    /// were cut short by the abort.
    pub aborted: Vec<String>,
}

impl Default for Registry {
    /// The same as [`Registry::new`].
    fn default() -> Self {
        Self::new()
    }
}
