//! Pitfall: children spawned with `tokio::spawn`, their handles in a `Vec`.
//!
//! It looks tracked, and the first error is even found at the right moment.
//! But returning drops the handles, and dropping a `JoinHandle` *detaches*
//! its task: the siblings of the failed child run on after the group is gone,
//! and so do all the children of a group that is dropped or whose `join` is
//! cancelled.
//!
//! Caught by: siblings_are_cancelled_before_join_returns_the_error, dropping_the_group_cancels_every_child, a_cancelled_join_cancels_every_child

#[path = "../../../katas/23-task-group/src/given.rs"]
mod given;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub struct TaskGroup<T, E> {
    handles: Vec<JoinHandle<()>>,
    done_tx: mpsc::UnboundedSender<(usize, Result<T, E>)>,
    done_rx: mpsc::UnboundedReceiver<(usize, Result<T, E>)>,
}

impl<T, E> TaskGroup<T, E>
where
    T: Send + 'static,
    E: Send + 'static,
{
    pub fn new() -> Self {
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        Self {
            handles: Vec::new(),
            done_tx,
            done_rx,
        }
    }

    pub fn spawn<F>(&mut self, child: F)
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        let index = self.handles.len();
        let done = self.done_tx.clone();
        self.handles.push(tokio::spawn(async move {
            let _ = done.send((index, child.await));
        }));
    }

    pub async fn join(mut self) -> Result<Vec<T>, E> {
        let mut values: Vec<Option<T>> = (0..self.handles.len()).map(|_| None).collect();
        for _ in 0..self.handles.len() {
            match self.done_rx.recv().await {
                Some((index, Ok(value))) => values[index] = Some(value),
                // Returning drops `self.handles`: the siblings are detached.
                Some((_, Err(error))) => return Err(error),
                None => unreachable!("the group holds a sender"),
            }
        }
        Ok(values.into_iter().map(Option::unwrap).collect())
    }
}
