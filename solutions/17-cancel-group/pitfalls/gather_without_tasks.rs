//! Pitfall: `gather` that polls the children itself instead of spawning them.
//!
//! Polling every child from inside the `gather` future runs them concurrently,
//! and dropping that future does drop them. But they are not tasks: they make
//! progress only while somebody polls `gather`. A caller that starts the
//! gather and then does something else (or is itself slow to be polled)
//! stalls every child, and on a multi-thread runtime they never run in
//! parallel. `asyncio.gather` wraps each coroutine in a task; here, spawn.
//!
//! Caught by: gathered_children_run_on_tasks_of_their_own

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod given;
pub use given::Group;

use std::future::poll_fn;
use std::pin::Pin;
use std::task::Poll;

pub async fn gather<T, F>(children: impl IntoIterator<Item = F>) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let mut pending: Vec<Option<Pin<Box<F>>>> =
        children.into_iter().map(|c| Some(Box::pin(c))).collect();
    let mut results: Vec<Option<T>> = pending.iter().map(|_| None).collect();
    // Every child is polled here, inside this one future: no task of its own.
    poll_fn(|cx| {
        for (slot, result) in pending.iter_mut().zip(results.iter_mut()) {
            if let Some(child) = slot
                && let Poll::Ready(value) = child.as_mut().poll(cx)
            {
                *result = Some(value);
                *slot = None;
            }
        }
        if pending.iter().all(Option::is_none) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    results.into_iter().map(Option::unwrap).collect()
}
