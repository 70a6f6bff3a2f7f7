//! Pitfall: `gather` that spawns the group's `join` and awaits that task's handle.
//!
//! It returns the right results, and the `Group` itself is correct. But the
//! group has moved into the spawned task: dropping the `gather` future (a
//! timeout, a `select!`) drops only a `JoinHandle`, which detaches that task.
//! The group is never dropped, so its children run on to the end.
//!
//! Caught by: cancelling_gather_cancels_every_child

use tokio::task::JoinSet;

/// A group of spawned children that cancels them all when it is dropped.
///
/// Children start running at once, each on its own task. Dropping the group
/// (or calling [`Group::cancel`]) cancels every child that has not finished.
#[derive(Debug)]
pub struct Group<T> {
    /// Owns the children. Its drop aborts every task still in it: that one
    /// fact is what makes dropping the group cancel the children.
    children: JoinSet<(usize, T)>,
    /// How many children were spawned: the index of the next one. Results
    /// come back in completion order, tagged with this index, so that `join`
    /// can put them back in spawn order.
    spawned: usize,
}

impl<T: Send + 'static> Group<T> {
    /// An empty group.
    pub fn new() -> Self {
        Self {
            children: JoinSet::new(),
            spawned: 0,
        }
    }

    /// Spawns `child` at once as a member of this group.
    pub fn spawn<F>(&mut self, child: F)
    where
        F: Future<Output = T> + Send + 'static,
    {
        let index = self.spawned;
        self.spawned += 1;
        // `JoinSet::spawn` is `tokio::spawn` plus ownership: the task starts
        // now, and its handle stays in the set, never detached.
        self.children.spawn(async move { (index, child.await) });
    }

    /// Waits for every child and returns their results in spawn order.
    ///
    /// # Panics
    /// If a child panics, `join` panics with the same payload, and the other
    /// children are cancelled (the group is dropped while unwinding).
    pub async fn join(mut self) -> Vec<T> {
        let mut results: Vec<Option<T>> = (0..self.spawned).map(|_| None).collect();
        // `join_next` yields children as they finish. If this future is
        // dropped half-way, `self` (and its `JoinSet`) is dropped with it, so
        // the children still running are cancelled too.
        while let Some(joined) = self.children.join_next().await {
            match joined {
                Ok((index, value)) => results[index] = Some(value),
                // Re-raise the child's panic here, in the caller. Unwinding
                // drops `self`, which aborts the siblings.
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                // Only this group can abort its children, and it does so only
                // in `cancel` and on drop, never while joining.
                Err(error) => unreachable!("a child was cancelled while joining: {error}"),
            }
        }
        results
            .into_iter()
            // Every index below `spawned` belongs to exactly one child, and
            // every child has now reported: no slot is left empty.
            .map(|slot| slot.expect("every child reported its result"))
            .collect()
    }

    /// Cancels every child and returns once each of them has stopped: when
    /// this returns, every child's cleanup has run.
    pub async fn cancel(mut self) {
        // `shutdown` is `abort_all` followed by waiting for every task to
        // end. Waiting matters: `abort_all` alone only *asks*; the children
        // are dropped later, when the runtime next runs them. A child that
        // finished before the abort landed just returns its value, which is
        // discarded.
        self.children.shutdown().await;
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
    let mut group = Group::new();
    for child in children {
        group.spawn(child);
    }
    // Joined on a task of its own, "so that it runs in the background". The
    // group now belongs to that task; dropping this future drops only the
    // handle, which detaches the task, and the group with its children lives on.
    match tokio::spawn(group.join()).await {
        Ok(results) => results,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}
