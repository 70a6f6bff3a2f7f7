//! Kata 41: a batching stream.
//!
//! Write [`batched`]: it turns a stream of items into a stream of batches
//! (`Vec`s). A batch is handed out as soon as it holds `max_size` items, or
//! `max_wait` after its first item arrived, or when the source ends, whichever
//! comes first. It is a plain `futures::Stream`, so it composes with the usual
//! combinators (`map`, `take`, `collect`, …) on either side.
//!
//! The scripted source [`Feed`] and its [`Probe`] are given, in
//! `src/given.rs`.
//!
//! Run the tests with `cargo test -p batching-stream`, or `cargo xtask watch`.

mod given;
pub use given::{Feed, Probe};

use std::task::Poll;
use std::time::Duration;

use futures::Stream;

/// Batches the items of `items`: each batch is handed out
///
/// * as soon as it holds `max_size` items (without waiting for more);
/// * `max_wait` after it received its first item (the first item starts
///   the clock), with what it holds by then;
/// * when `items` ends, with what it holds (never an empty batch).
///
/// The stream then ends, and stays ended. It is lazy and reads no item ahead:
/// an item is taken from `items` only while a batch is being filled for a
/// caller who asked for one. `items` is never polled again once it has ended,
/// and dropping the batched stream drops it. A `max_size` of `usize::MAX`
/// means no size limit, a `max_wait` of `Duration::MAX` no time limit.
///
/// The stream may be `!Unpin`: pin it (`std::pin::pin!`) to call `.next()`.
///
/// # Panics
/// At once, when called, if `max_size` is 0.
pub fn batched<S>(items: S, max_size: usize, max_wait: Duration) -> impl Stream<Item = Vec<S::Item>>
where
    S: Stream,
{
    // TODO: return a stream of batches: `async_stream::stream! { … }` with
    // `tokio::time::timeout_at` is one way, a struct with `poll_next` another.
    futures::stream::poll_fn(move |_cx| -> Poll<Option<Vec<S::Item>>> {
        let _ = &items;
        todo!("batches of up to {max_size} items, flushed {max_wait:?} after their first")
    })
}
