//! Pitfall: on the first error, abort the siblings and return at once.
//!
//! `abort` only *requests* cancellation; the aborted futures are dropped later,
//! when the scheduler gets to them. The caller gets the error while the
//! siblings still exist, their cleanup not yet run: for a moment they outlive
//! the group, and a caller that goes on (say, to retry with the same
//! resources) races with them.
//!
//! Caught by: siblings_are_cancelled_before_join_returns_the_error

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
        while let Some(ended) = self.children.join_next().await {
            match ended {
                Ok((index, Ok(value))) => values[index] = Some(value),
                Ok((_, Err(error))) => {
                    // Asks, and does not wait for the answer.
                    self.children.abort_all();
                    return Err(error);
                }
                Err(join_error) => {
                    self.children.shutdown().await;
                    panic::resume_unwind(join_error.into_panic())
                }
            }
        }
        Ok(values.into_iter().map(Option::unwrap).collect())
    }
}
