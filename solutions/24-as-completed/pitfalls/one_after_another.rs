//! Pitfall: await each future in input order.
//!
//! `stream::iter(futures).then(|f| f)` is a stream, and looks like the answer,
//! but it awaits one future before it even polls the next: the requests run
//! one after another (1 + 2 + 3 s instead of 3 s), and the results come out in
//! input order.
//!
//! Caught by: the_futures_run_concurrently, results_arrive_in_completion_order_as_they_complete

use futures::stream::{self, BoxStream, StreamExt};

pub fn as_completed<'a, F>(futures: impl IntoIterator<Item = F>) -> BoxStream<'a, F::Output>
where
    F: Future + Send + 'a,
    F::Output: Send + 'a,
{
    let futures: Vec<F> = futures.into_iter().collect();
    stream::iter(futures).then(|future| future).boxed()
}
