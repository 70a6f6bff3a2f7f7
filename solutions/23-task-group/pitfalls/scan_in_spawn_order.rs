//! Pitfall: scanning the children in spawn order each time `join` wakes.
//!
//! Each child wakes `join` through a `Notify` when it ends, and `join` looks
//! at the children in the order they were spawned, taking the first that has
//! ended. While `join` keeps up, that is the order they end in. But when
//! several have ended by the time it looks (`join` called late, or a busy
//! runtime), the first error *by position* wins: a child that failed at 2 s
//! is reported before its younger sibling that failed at 1 s.
//!
//! Caught by: errors_before_join_are_ranked_by_time_too

#[path = "../../../katas/23-task-group/src/given.rs"]
mod given;

use std::sync::Arc;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

pub struct TaskGroup<T, E> {
    children: Vec<Option<JoinHandle<Result<T, E>>>>,
    ended: Arc<Notify>,
}

impl<T, E> Drop for TaskGroup<T, E> {
    fn drop(&mut self) {
        for child in self.children.iter().flatten() {
            child.abort();
        }
    }
}

impl<T, E> TaskGroup<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    pub fn new() -> Self {
        TaskGroup {
            children: Vec::new(),
            ended: Arc::new(Notify::new()),
        }
    }

    pub fn spawn<F>(&mut self, child: F)
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        let ended = Arc::clone(&self.ended);
        self.children.push(Some(tokio::spawn(async move {
            struct Wake(Arc<Notify>);
            impl Drop for Wake {
                fn drop(&mut self) {
                    self.0.notify_one();
                }
            }
            let _wake = Wake(ended);
            child.await
        })));
    }

    pub async fn join(mut self) -> Result<Vec<T>, E> {
        let mut values: Vec<Option<T>> = (0..self.children.len()).map(|_| None).collect();
        loop {
            let mut failure = None;
            for (index, slot) in self.children.iter_mut().enumerate() {
                if slot.as_ref().is_some_and(|child| child.is_finished()) {
                    let child = slot.take().expect("checked");
                    match child.await {
                        Ok(Ok(value)) => values[index] = Some(value),
                        Ok(Err(error)) => {
                            failure = Some(Ok(error));
                            break;
                        }
                        Err(join_error) => {
                            failure = Some(Err(join_error));
                            break;
                        }
                    }
                }
            }
            if let Some(failure) = failure {
                for child in self.children.iter_mut().filter_map(Option::take) {
                    child.abort();
                    let _ = child.await;
                }
                match failure {
                    Ok(error) => return Err(error),
                    Err(join_error) => std::panic::resume_unwind(join_error.into_panic()),
                }
            }
            if self.children.iter().all(Option::is_none) {
                return Ok(values
                    .into_iter()
                    .map(|v| v.expect("every child returned"))
                    .collect());
            }
            self.ended.notified().await;
        }
    }
}
