//! Kata 23, reference solution: what does a `TaskGroup` give you?
//!
//! Structured concurrency: the children of a group live inside the group's
//! scope, and never longer. A [`TaskGroup`] keeps its children in a `JoinSet`,
//! which owns their handles, so:
//!
//! * [`TaskGroup::join`] returns every result (in spawn order) once all the
//!   children have succeeded;
//! * the first child to fail ends the group at once: the others are aborted,
//!   and `join` waits until they are really gone before it returns the error;
//! * a child that panics is handled the same way, then its panic goes on in
//!   the caller of `join`;
//! * dropping the group (or a `join` that is itself cancelled, by a timeout
//!   for instance) aborts every child still running, because dropping a
//!   `JoinSet` aborts its tasks.
//!
//! A plain `tokio::spawn` would break all of this: dropping its `JoinHandle`
//! *detaches* the task, which then outlives whoever started it.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/23-task-group/src/given.rs"]
mod given;

use std::panic;

use tokio::task::JoinSet;

/// A group of child tasks that succeed together or fail together, and that
/// never outlive the group.
///
/// `T` is what each child returns on success, `E` its error.
pub struct TaskGroup<T, E> {
    /// The children, each tagged with its spawn index so that `join` can put
    /// the results back in spawn order. The `JoinSet` is what ties the
    /// children's lives to the group: when it is dropped, they are aborted.
    children: JoinSet<(usize, Result<T, E>)>,
    /// How many children have been spawned: the next child's index.
    spawned: usize,
}

impl<T, E> TaskGroup<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    /// An empty group.
    pub fn new() -> Self {
        Self {
            children: JoinSet::new(),
            spawned: 0,
        }
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
        let index = self.spawned;
        self.spawned += 1;
        // `JoinSet::spawn` keeps the handle: this child cannot be detached.
        // Its result comes back tagged with its index, because `join_next`
        // yields children in the order they *finish*.
        self.children.spawn(async move { (index, child.await) });
    }

    /// Waits for every child and returns their values in spawn order.
    ///
    /// The first child to return `Err` (first in time, not in spawn order)
    /// ends the group: every other child is aborted, and `join` returns that
    /// error once they have all stopped. A child that panics ends the group
    /// the same way, then the panic resumes in the caller with its own
    /// payload.
    pub async fn join(mut self) -> Result<Vec<T>, E> {
        // One slot per child, filled as they finish, in whatever order.
        let mut values: Vec<Option<T>> = (0..self.spawned).map(|_| None).collect();

        while let Some(ended) = self.children.join_next().await {
            match ended {
                Ok((index, Ok(value))) => values[index] = Some(value),
                Ok((_, Err(error))) => {
                    // `shutdown` aborts every child left and waits until each
                    // has ended, so their drop-time cleanup has run by the
                    // time the caller sees the error. Returning without it
                    // would also abort them (dropping the set does), but
                    // later, while the caller has already moved on.
                    self.children.shutdown().await;
                    return Err(error);
                }
                Err(join_error) => {
                    // Nobody aborts a child but us, so a `JoinError` here is
                    // a panic, unless the runtime itself is shutting down.
                    self.children.shutdown().await;
                    match join_error.try_into_panic() {
                        // Re-raise the child's own panic, payload and all,
                        // as `await`ing a failed task re-raises in Python.
                        Ok(payload) => panic::resume_unwind(payload),
                        Err(join_error) => {
                            panic!("a child was stopped by its runtime: {join_error}")
                        }
                    }
                }
            }
        }

        // The set is empty and no child failed: every slot was filled.
        Ok(values
            .into_iter()
            .map(|value| value.expect("every child that succeeded left its value"))
            .collect())
    }
}
