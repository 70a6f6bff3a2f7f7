//! Kata 23: what does a `TaskGroup` give you?
//!
//! Structured concurrency: the children of a group never outlive it. Build a
//! [`TaskGroup`] that spawns child tasks and joins them: every value comes
//! back (in spawn order) when all succeed; the first child to fail ends the
//! group at once, its siblings cancelled and gone before the error is
//! returned; a child's panic does the same, then reaches the caller; and
//! dropping the group cancels every child still running.
//!
//! The `Default` impl of [`TaskGroup`] is given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p task-group`, or `cargo xtask watch`.

mod given;

use std::marker::PhantomData;

/// A group of child tasks that succeed together or fail together, and that
/// never outlive the group.
///
/// `T` is what each child returns on success, `E` its error.
pub struct TaskGroup<T, E> {
    // TODO: replace this placeholder with the group's books: the children
    // (in something that cancels them when the group is dropped) and what
    // you need to give the values back in spawn order.
    _placeholder: PhantomData<fn() -> (T, E)>,
}

impl<T, E> TaskGroup<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    /// An empty group.
    pub fn new() -> Self {
        // TODO: start with no children.
        todo!("create an empty group")
    }

    /// Starts `child` at once as a task of this group (like
    /// `TaskGroup.create_task`). It runs concurrently with the other children
    /// and is aborted if the group is dropped or a sibling fails.
    ///
    /// # Panics
    /// When called outside a tokio runtime, like `tokio::spawn`.
    pub fn spawn<F>(&mut self, child: F)
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        // TODO: spawn `child` so that the group owns it (a detached
        // `tokio::spawn` outlives the group), and remember its place in
        // spawn order.
        todo!(
            "spawn the child {} into the group",
            std::any::type_name_of_val(&child)
        )
    }

    /// Waits for every child and returns their values in spawn order.
    ///
    /// The first child to return `Err` (first in time, not in spawn order)
    /// ends the group: every other child is aborted, and `join` returns that
    /// error once they have all stopped. A child that panics ends the group
    /// the same way, then the panic resumes in the caller with its own
    /// payload.
    pub async fn join(self) -> Result<Vec<T>, E> {
        // TODO: take the children as they finish. On the first `Err`, abort
        // the rest, wait until they have stopped, and return the error. On a
        // panic, the same, then resume the child's panic. Otherwise, return
        // the values in spawn order.
        let _ = self;
        todo!("join every child of the group")
    }
}
