//! Pitfall: `cancel` that aborts every child and yields once, hoping that is enough.
//!
//! On a single-threaded runtime one `yield_now` happens to let each aborted
//! child be dropped before `cancel` resumes, so it looks like waiting. It is
//! not: a child busy on another worker thread is dropped only when it reaches
//! its next `.await`, long after the yield is over. Only waiting for each
//! child to end (`JoinSet::shutdown`, or `join_next` until `None`) proves it
//! has stopped.
//!
//! Caught by: cancel_waits_for_a_child_busy_on_another_thread

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
        // Asks, then gives the runtime one turn: a guess, not a wait.
        self.children.abort_all();
        tokio::task::yield_now().await;
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
    // The group is owned by this future. If the caller stops polling and
    // drops it, the group goes with it, and so do the children.
    group.join().await
}
