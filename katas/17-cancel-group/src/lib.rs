//! Kata 17: how do you cancel a `gather` properly?
//!
//! Build a [`Group`] of spawned children whose cancellation cancels every
//! child: dropping the group, or calling [`Group::cancel`], must stop each
//! child that has not finished (its cleanup runs, its work stops). Then build
//! [`gather`] on top of it, so that dropping the `gather` future cancels its
//! children too.
//!
//! The trap: a `JoinHandle` does not own its task. Dropping it *detaches* the
//! task, which keeps running.
//!
//! Run the tests with `cargo test -p cancel-group`, or `cargo xtask watch`.

use std::marker::PhantomData;

/// A group of spawned children that cancels them all when it is dropped.
///
/// Children start running at once, each on its own task. Dropping the group
/// (or calling [`Group::cancel`]) cancels every child that has not finished.
#[derive(Debug)]
pub struct Group<T> {
    // TODO: replace this placeholder with something that *owns* the
    // children, so that dropping the group cancels them. (A `Vec` of
    // `JoinHandle`s does not: dropping a handle detaches its task.)
    placeholder: PhantomData<T>,
}

impl<T: Send + 'static> Group<T> {
    /// An empty group.
    pub fn new() -> Self {
        // TODO: an empty group.
        todo!("an empty group ({})", std::any::type_name::<T>())
    }

    /// Spawns `child` at once as a member of this group.
    pub fn spawn<F>(&mut self, child: F)
    where
        F: Future<Output = T> + Send + 'static,
    {
        // TODO: start `child` on a task of its own, owned by the group, and
        // remember its position so that `join` can return results in order.
        todo!(
            "spawn the child {} into {:?}",
            std::any::type_name_of_val(&child),
            self.placeholder
        )
    }

    /// Waits for every child and returns their results in spawn order.
    ///
    /// # Panics
    /// If a child panics, `join` panics with the same payload, and the other
    /// children are cancelled (the group is dropped while unwinding).
    pub async fn join(self) -> Vec<T> {
        // TODO: collect every child's result, in spawn order; re-raise a
        // child's panic with `std::panic::resume_unwind`.
        todo!("join the children of {:?}", self.placeholder)
    }

    /// Cancels every child and returns once each of them has stopped: when
    /// this returns, every child's cleanup has run.
    pub async fn cancel(self) {
        // TODO: cancel every child, then wait until each has really stopped.
        todo!("cancel the children of {:?}", self.placeholder)
    }
}

impl<T: Send + 'static> Default for Group<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs every child concurrently, each on its own task, and returns their
/// results in order. Dropping the returned future cancels every child.
pub async fn gather<T, F>(children: impl IntoIterator<Item = F>) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    // TODO: the `asyncio.gather` analogue, built on a `Group`.
    let children: Vec<F> = children.into_iter().collect();
    todo!("gather {} children", children.len())
}
