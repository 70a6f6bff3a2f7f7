//! Pitfall: the values in the order the children finish.
//!
//! `join_next` yields children as they finish. Pushing each value as it comes
//! gives completion order; the caller spawned the children in an order and
//! expects their values in that order (as each Python task keeps its own
//! result).
//!
//! Caught by: join_returns_every_value_in_spawn_order

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
        let mut values = Vec::with_capacity(self.spawned);
        while let Some(ended) = self.children.join_next().await {
            match ended {
                Ok((_, Ok(value))) => values.push(value),
                Ok((_, Err(error))) => {
                    self.children.shutdown().await;
                    return Err(error);
                }
                Err(join_error) => {
                    self.children.shutdown().await;
                    panic::resume_unwind(join_error.into_panic())
                }
            }
        }
        Ok(values)
    }
}
