//! Kata 24: process results as they arrive.
//!
//! Write [`as_completed`]: it takes any number of futures and returns a
//! `Stream` that yields each output the moment its future completes, in
//! completion order, not input order. The consumer must get the first result
//! as soon as the first future is done, not once everything has finished, and
//! it must stay cheap with ten thousand futures.
//!
//! Run the tests with `cargo test -p as-completed`, or `cargo xtask watch`.

use futures::stream::BoxStream;

/// Runs every future in `futures` concurrently and yields each output as soon
/// as its future completes: in completion order, not input order.
///
/// The futures run while the stream is polled (like every Rust future, they
/// do nothing on their own: none starts before the stream's first poll);
/// futures that complete at the same instant all come out at that instant;
/// dropping the stream cancels those not yet done.
/// Collecting it, `as_completed(futures).collect::<Vec<_>>().await`, gives
/// every output in the order the futures finished.
pub fn as_completed<'a, F>(futures: impl IntoIterator<Item = F>) -> BoxStream<'a, F::Output>
where
    F: Future + Send + 'a,
    F::Output: Send + 'a,
{
    // TODO: put the futures in a set that polls only those that were woken,
    // and return it as a stream (`.boxed()` from `futures::StreamExt` gives a
    // `BoxStream`). Do not wait for all of them before yielding anything.
    let futures: Vec<F> = futures.into_iter().collect();
    todo!(
        "stream the outputs of {} futures as they complete",
        futures.len()
    )
}
