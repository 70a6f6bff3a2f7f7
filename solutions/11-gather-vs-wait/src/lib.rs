//! Kata 11, reference solution: `gather` versus `wait`.
//!
//! Both wait for several things at once; they differ in what they give back.
//!
//! * [`gather`] is about *results*: it drives every future to the end and
//!   returns their outputs in the order the futures were given, whatever order
//!   they finished in.
//! * [`wait`] is about *control*: it returns as soon as a condition
//!   ([`ReturnWhen`]) holds or a timeout passes, with the outcomes of the tasks
//!   that are done and the handles of those that are not. The pending tasks are
//!   neither cancelled nor lost: they keep running, and the caller may await,
//!   wait on, or abort them later.
//!
//! That last point is where `wait` differs from `tokio::select!`, which drops
//! (and so cancels) every branch but the winner.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/11-gather-vs-wait/src/given.rs"]
mod given;
pub use given::{ReturnWhen, Waited};

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Runs every future concurrently and returns their outputs in input order.
///
/// The output at index `i` belongs to the `i`-th future, whichever finished
/// first. Nothing given means nothing to wait for.
pub async fn gather<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    // `join_all` polls every future inside this one task and keeps a slot per
    // input, so the order of the outputs is the order of the inputs. Each
    // output is returned as it is: a future that yields a `Result` gives a
    // `Result` in its slot, much like `gather(..., return_exceptions=True)`.
    futures::future::join_all(futures).await
}

/// Waits on running tasks until `return_when` holds or `timeout` passes.
///
/// A task *fails* when it returns `Err`, panics, or is aborted. Reaching the
/// timeout is not an error: `wait` returns what it has. With no tasks it
/// returns at once.
pub async fn wait<T>(
    tasks: Vec<JoinHandle<anyhow::Result<T>>>,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
) -> Waited<T> {
    // The deadline is fixed once, at the start: each round of the loop below
    // waits only for what is left of it.
    let deadline = timeout.map(|timeout| Instant::now() + timeout);
    let mut waited = Waited {
        done: Vec::new(),
        pending: tasks,
    };

    while !waited.should_return(return_when) {
        // One round: wait until at least one more task has finished.
        let round = poll_fn(|cx| waited.collect_finished(cx));
        match deadline {
            // `timeout_at` drops `round` when time is up. That is harmless:
            // `round` only borrows the handles, so dropping it cancels
            // nothing. The tasks are owned by the runtime and keep running.
            Some(deadline) => {
                if tokio::time::timeout_at(deadline, round).await.is_err() {
                    break;
                }
            }
            None => round.await,
        }
    }
    waited
}

impl<T> Waited<T> {
    /// Whether `wait` has what `return_when` asks for.
    fn should_return(&self, return_when: ReturnWhen) -> bool {
        if self.pending.is_empty() {
            return true;
        }
        match return_when {
            ReturnWhen::FirstCompleted => !self.done.is_empty(),
            ReturnWhen::FirstException => self.done.iter().any(Result::is_err),
            ReturnWhen::AllCompleted => false,
        }
    }

    /// Polls every pending handle once; moves the finished ones to `done`.
    ///
    /// Ready when at least one task finished in this pass, so that tasks
    /// finishing together all land in `done` together. Otherwise every
    /// handle has stored `cx`'s waker, and the first task to finish wakes us.
    fn collect_finished(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let before = self.done.len();
        let mut index = 0;
        while index < self.pending.len() {
            // `JoinHandle` is `Unpin`, so it can be polled through `Pin::new`
            // without being moved; polling it does not consume it.
            match Pin::new(&mut self.pending[index]).poll(cx) {
                Poll::Ready(joined) => {
                    // `remove`, not `swap_remove`: the rest keep their order.
                    // The finished handle is dropped here; it must never be
                    // polled again.
                    self.pending.remove(index);
                    // A panic or an abort is a failure like an `Err`.
                    self.done
                        .push(joined.unwrap_or_else(|error| Err(error.into())));
                }
                Poll::Pending => index += 1,
            }
        }
        if self.done.len() > before {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}
