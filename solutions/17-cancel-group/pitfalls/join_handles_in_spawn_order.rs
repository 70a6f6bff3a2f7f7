//! Pitfall: a group of `JoinHandle`s that aborts them on drop, but joins them in spawn order.
//!
//! Cancellation is right here: `Drop` aborts every handle, and `cancel` waits
//! for each. But `join` awaits the first child before it even looks at the
//! second, so a panic in a later child surfaces only once every earlier child
//! has finished, and meanwhile its siblings keep working for nothing. Joining
//! in completion order (`JoinSet::join_next`) sees the panic when it happens.
//!
//! Caught by: a_panicking_child_fails_join_and_cancels_the_rest

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

    pub async fn join(mut self) -> Vec<T> {
        let mut results = Vec::new();
        // One after another: child 2's panic waits behind child 1's work.
        for handle in &mut self.children {
            match handle.await {
                Ok(value) => results.push(value),
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            }
        }
        results
    }

    pub async fn cancel(mut self) {
        for handle in &self.children {
            handle.abort();
        }
        for handle in std::mem::take(&mut self.children) {
            let _ = handle.await;
        }
    }
}

impl<T> Drop for Group<T> {
    fn drop(&mut self) {
        for handle in &self.children {
            handle.abort();
        }
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
