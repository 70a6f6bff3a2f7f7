//! Pitfall: concurrent, but yielded in input order.
//!
//! `buffered(n)` runs the futures together, yet hands their outputs over in
//! the order they were given: a fast result waits behind a slow one that was
//! listed first. That is `gather`, not `as_completed` (`buffer_unordered` is
//! the completion-order twin).
//!
//! Caught by: results_arrive_in_completion_order_as_they_complete, the_first_result_arrives_at_the_first_completion

use futures::stream::{self, BoxStream, StreamExt};

pub fn as_completed<'a, F>(futures: impl IntoIterator<Item = F>) -> BoxStream<'a, F::Output>
where
    F: Future + Send + 'a,
    F::Output: Send + 'a,
{
    let futures: Vec<F> = futures.into_iter().collect();
    let all_at_once = futures.len().max(1);
    stream::iter(futures).buffered(all_at_once).boxed()
}
