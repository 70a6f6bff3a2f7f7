//! Pitfall: spawning the children and keeping their `JoinHandle`s.
//!
//! It joins correctly, so it looks fine until someone cancels. A `JoinHandle`
//! does not own its task: dropping it *detaches* the task, which runs on to
//! the end. Dropping this group, "cancelling" it, or dropping the `gather`
//! future (say, on a timeout) leaves every child running, leaked.
//!
//! Caught by: dropping_the_group_runs_every_childs_cleanup, no_child_keeps_running_after_the_group_is_dropped, cancel_returns_once_every_child_has_stopped, cancelling_gather_cancels_every_child, a_panicking_child_fails_join_and_cancels_the_rest

use tokio::task::JoinHandle;

#[derive(Debug)]
pub struct Group<T> {
    children: Vec<JoinHandle<T>>,
}

impl<T: Send + 'static> Group<T> {
    pub fn new() -> Self {
        Self {
            children: Vec::new(),
        }
    }

    pub fn spawn<F>(&mut self, child: F)
    where
        F: Future<Output = T> + Send + 'static,
    {
        self.children.push(tokio::spawn(child));
    }

    pub async fn join(self) -> Vec<T> {
        let mut results = Vec::with_capacity(self.children.len());
        for child in self.children {
            match child.await {
                Ok(value) => results.push(value),
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            }
        }
        results
    }

    pub async fn cancel(self) {
        // Dropping the handles: detaches the children, cancels nothing.
        drop(self);
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
