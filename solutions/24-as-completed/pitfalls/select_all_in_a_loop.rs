//! Pitfall: call `select_all` again after every completion.
//!
//! Each round hands the pending futures to `futures::future::select_all`,
//! which yields the first to complete, in the right order and at the right
//! time. But every round polls every pending future, woken or not: n futures
//! cost about n²/2 polls, so ten thousand of them spend seconds of CPU on
//! futures that have nothing to do.
//!
//! Caught by: a_future_is_polled_only_when_it_is_woken

use std::pin::Pin;

use futures::future::select_all;
use futures::stream::{self, BoxStream, StreamExt};

pub fn as_completed<'a, F>(futures: impl IntoIterator<Item = F>) -> BoxStream<'a, F::Output>
where
    F: Future + Send + 'a,
    F::Output: Send + 'a,
{
    let pending: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    stream::unfold(pending, |pending| async move {
        if pending.is_empty() {
            return None;
        }
        let (output, _index, rest) = select_all(pending).await;
        Some((output, rest))
    })
    .boxed()
}
