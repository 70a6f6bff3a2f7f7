//! The given part of kata 23: the `Default` impl of [`TaskGroup`]. You do not
//! need to change this file; the tests and the reference solution use it as it
//! is.

// `super`, not `crate`: the `TaskGroup` meant is the one beside `mod given;`,
// which is not the crate root when a pitfall includes the solution as a module.
use super::TaskGroup;

impl<T, E> Default for TaskGroup<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    /// The same as [`TaskGroup::new`].
    fn default() -> Self {
        Self::new()
    }
}
