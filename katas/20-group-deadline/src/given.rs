//! The given part of kata 20: the [`Report`] that
//! [`run_with_deadline`](crate::run_with_deadline) returns. You do not need to
//! change this file; the tests and the reference solution use it as it is.

/// What a group of jobs achieved before its deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report<T> {
    /// The jobs that finished in time, with their results, in the order the
    /// jobs were given.
    pub finished: Vec<(String, T)>,
    /// The names of the jobs that did not finish in time (they have been
    /// cancelled), in the order the jobs were given.
    pub unfinished: Vec<String>,
}
