//! Kata 41, reference solution: a batching stream.
//!
//! A batch has three ways to end: it is full, its time is up, or the source
//! has ended. [`batched`] is written as an async generator
//! (`async_stream::stream!`): the loop reads like the rule. It waits for a
//! batch's first item for as long as it takes (an empty batch has no clock),
//! starts the clock then, and keeps reading until the batch is full, the
//! clock runs out, or the source ends.
//!
//! Giving up on a read at the deadline is safe in Rust for any stream: the
//! future that `next()` returns only borrows the stream, and a `Stream` keeps
//! its state in itself, so dropping a pending `next()` loses no item. (In
//! Python, `wait_for(anext(gen), t)` cancels the read *inside* an async
//! generator and ends it; there the read must be kept as a task.)

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/41-batching-stream/src/given.rs"]
mod given;
pub use given::{Feed, Probe};

use std::pin::pin;
use std::time::Duration;

use futures::{Stream, StreamExt};
use tokio::time::Instant;

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
    // Checked here, not inside the generator: the generator's body runs only
    // when the stream is first polled, far from the call that was wrong.
    assert!(max_size > 0, "a batch must be allowed at least one item");

    // The generator's body runs only while somebody polls the stream, and it
    // stops at each `yield` until the next poll: that makes it lazy, and it
    // reads no item ahead. No task is spawned: the source lives inside the
    // stream, so dropping the stream drops the source, at once.
    async_stream::stream! {
        // `next()` needs an `Unpin` stream; pinning it here, inside the
        // generator (which is itself pinned when polled), accepts any source.
        let mut items = pin!(items);
        loop {
            // A batch starts with its first item, however long that takes:
            // no clock runs while the batch is empty, so no empty batch is
            // ever handed out.
            let Some(first) = items.next().await else {
                // The source ended between batches: nothing left to hand out.
                return;
            };
            // The first item starts the clock. `checked_add`: a `max_wait` of
            // `Duration::MAX` would overflow the instant; it means no limit.
            let deadline = Instant::now().checked_add(max_wait);
            // No `with_capacity(max_size)`: `usize::MAX` is a valid size limit,
            // and reserving room for that many items panics.
            let mut batch = vec![first];
            let mut source_ended = false;
            while batch.len() < max_size {
                let next = match deadline {
                    // `timeout_at` polls the read before it looks at the clock,
                    // so an item that is there at the deadline still joins.
                    // When the time is up it drops the pending read: the item
                    // it would have brought stays in the source for the next
                    // batch.
                    Some(deadline) => tokio::time::timeout_at(deadline, items.next()).await,
                    None => Ok(items.next().await),
                };
                match next {
                    Ok(Some(item)) => batch.push(item),
                    Ok(None) => {
                        // Flush now, not at the deadline: no item can come.
                        source_ended = true;
                        break;
                    }
                    // The time is up: flush what there is.
                    Err(_elapsed) => break,
                }
            }
            // Full, timed out or ended: hand it out. The generator stops here
            // until the caller asks for the next batch.
            yield batch;
            if source_ended {
                // The source said `None`: it is never polled again (many
                // streams panic if they are), and this stream ends too.
                return;
            }
        }
    }
}
