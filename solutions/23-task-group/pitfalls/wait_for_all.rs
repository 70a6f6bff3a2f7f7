//! Pitfall: waiting for every child, then looking for the first error.
//!
//! Collecting every outcome first, as `gather(..., return_exceptions=True)`
//! does, and only then looking for an error means a failure at 1 s is reported
//! when the slowest sibling ends, 10 s later, and that sibling burns its
//! resources for nothing. A group should fail fast.
//!
//! Caught by: the_first_error_is_returned_as_soon_as_it_happens, siblings_are_cancelled_before_join_returns_the_error

#[path = "../../../katas/23-task-group/src/given.rs"]
mod given;

use std::panic;

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
        let mut first_error = None;
        // Every child is awaited, failed or not.
        while let Some(ended) = self.children.join_next().await {
            match ended {
                Ok((index, Ok(value))) => values[index] = Some(value),
                Ok((_, Err(error))) => {
                    first_error.get_or_insert(error);
                }
                Err(join_error) => panic::resume_unwind(join_error.into_panic()),
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(values.into_iter().map(Option::unwrap).collect()),
        }
    }
}
