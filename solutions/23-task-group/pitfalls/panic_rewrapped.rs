//! Pitfall: `unwrap` on the `JoinError` of a child that panicked.
//!
//! The caller does see a panic, but a new one ("called `Result::unwrap()` on
//! an `Err` value: JoinError::Panic(...)"), not the child's: its payload is
//! lost, and so is any `catch_unwind` downcast the caller relies on. And the
//! siblings are only aborted by the unwinding drop, not awaited. Re-raise the
//! child's own panic with `JoinError::into_panic` and `resume_unwind`.
//!
//! Caught by: a_panicking_child_cancels_its_siblings_and_the_panic_reaches_the_caller

#[path = "../../../katas/23-task-group/src/given.rs"]
mod given;

use tokio::task::JoinSet;

pub struct TaskGroup<T, E> {
    children: JoinSet<(usize, Result<T, E>)>,
    spawned: usize,
}

impl<T, E> TaskGroup<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    pub fn new() -> Self {
        Self {
            children: JoinSet::new(),
            spawned: 0,
        }
    }

    pub fn spawn<F>(&mut self, child: F)
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        let index = self.spawned;
        self.spawned += 1;
        self.children.spawn(async move { (index, child.await) });
    }

    pub async fn join(mut self) -> Result<Vec<T>, E> {
        let mut values: Vec<Option<T>> = (0..self.spawned).map(|_| None).collect();
        while let Some(ended) = self.children.join_next().await {
            // A panicking child becomes a brand-new panic here.
            match ended.unwrap() {
                (index, Ok(value)) => values[index] = Some(value),
                (_, Err(error)) => {
                    self.children.shutdown().await;
                    return Err(error);
                }
            }
        }
        Ok(values.into_iter().map(Option::unwrap).collect())
    }
}
