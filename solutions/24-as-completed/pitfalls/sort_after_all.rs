//! Pitfall: wait for everything, then sort by completion time.
//!
//! The order comes out right, and the futures even ran concurrently, but the
//! consumer sees nothing until the slowest future is done: the first result,
//! ready at 1 s, is handed over at 100 s. "As completed" is about *when* each
//! result arrives, not only in which order.
//!
//! Caught by: the_first_result_arrives_at_the_first_completion, results_arrive_in_completion_order_as_they_complete, ten_thousand_futures_stream_out_in_completion_order

use futures::future::join_all;
use futures::stream::{self, BoxStream, StreamExt};
use tokio::time::Instant;

pub fn as_completed<'a, F>(futures: impl IntoIterator<Item = F>) -> BoxStream<'a, F::Output>
where
    F: Future + Send + 'a,
    F::Output: Send + 'a,
{
    let timed: Vec<_> = futures
        .into_iter()
        .map(|future| async move {
            let output = future.await;
            (Instant::now(), output)
        })
        .collect();
    stream::once(async move {
        // Every future must finish before the first item is yielded.
        let mut finished = join_all(timed).await;
        finished.sort_by_key(|(at, _)| *at);
        stream::iter(finished.into_iter().map(|(_, output)| output))
    })
    .flatten()
    .boxed()
}
