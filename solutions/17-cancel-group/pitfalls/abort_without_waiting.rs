//! Pitfall: `cancel` that aborts every child and returns at once.
//!
//! `abort_all` only *asks*: each child is dropped (its cleanup runs) the next
//! time the runtime gets to it, after `cancel` has already returned. A caller
//! that cancels a group and then, say, reuses the resources its children held
//! would race with their cleanup. `JoinSet::shutdown` aborts and then waits.
//!
//! Caught by: cancel_returns_once_every_child_has_stopped, cancel_stops_only_the_children_still_running

use tokio::task::JoinSet;

#[derive(Debug)]
pub struct Group<T> {
    children: JoinSet<(usize, T)>,
    spawned: usize,
}

impl<T: Send + 'static> Group<T> {
    pub fn new() -> Self {
        Self {
            children: JoinSet::new(),
            spawned: 0,
        }
    }

    pub fn spawn<F>(&mut self, child: F)
    where
        F: Future<Output = T> + Send + 'static,
    {
        let index = self.spawned;
        self.spawned += 1;
        self.children.spawn(async move { (index, child.await) });
    }

    pub async fn join(mut self) -> Vec<T> {
        let mut results: Vec<Option<T>> = (0..self.spawned).map(|_| None).collect();
        while let Some(joined) = self.children.join_next().await {
            match joined {
                Ok((index, value)) => results[index] = Some(value),
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            }
        }
        results.into_iter().map(Option::unwrap).collect()
    }

    pub async fn cancel(mut self) {
        // Asks every child to stop, and does not wait for any of them.
        self.children.abort_all();
    }
}

impl<T: Send + 'static> Default for Group<T> {
    fn default() -> Self {
        Self::new()
    }
}

pub async fn gather<T, F>(children: impl IntoIterator<Item = F>) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let mut group = Group::new();
    for child in children {
        group.spawn(child);
    }
    group.join().await
}
