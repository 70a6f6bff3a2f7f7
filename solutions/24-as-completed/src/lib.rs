//! Kata 24, reference solution: process results as they arrive.
//!
//! [`as_completed`] turns a collection of futures into a `Stream` that yields
//! each output the moment its future completes, whatever order they were
//! given in. The work is done by `futures::stream::FuturesUnordered`, a set
//! of futures built for exactly this:
//!
//! * it polls only the futures that have been woken, not all of them, so ten
//!   thousand futures cost about as much per completion as ten;
//! * it yields outputs in completion order, one at a time, so the consumer
//!   handles the first result while the others are still in flight;
//! * it owns the futures, so dropping the stream drops (cancels) those that
//!   have not completed yet.

use futures::stream::{BoxStream, FuturesUnordered, StreamExt};

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
    // Collecting into `FuturesUnordered` only stores the futures: none is
    // polled until the stream is. Each then gets its own waker, so when one
    // timer fires only that future is polled again, the others are left
    // alone. A `Vec` of futures polled in turn would cost O(n) per wake-up,
    // O(n²) in all.
    let in_flight: FuturesUnordered<F> = futures.into_iter().collect();
    // `FuturesUnordered` is itself a `Stream` of outputs, in completion order,
    // and ends when the set is empty. Boxing gives the caller one nameable
    // type, whatever `F` is.
    in_flight.boxed()
}
