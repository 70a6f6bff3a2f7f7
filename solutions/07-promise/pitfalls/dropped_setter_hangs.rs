//! Pitfall: ignoring a setter that is dropped without a result.
//!
//! If only `set_result` wakes the promise, a setter that is dropped (an early
//! return, an error, a panic on the other side) leaves the promise pending for
//! ever. The waiter must learn that no result can come: an error, not a hang.
//!
//! Caught by: dropping_the_setter_gives_an_abandoned_error, an_awaiting_task_gets_an_error_when_the_setter_is_dropped

#[path = "../../../katas/07-promise/src/given.rs"]
mod given;
pub use given::Abandoned;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// What the two halves share.
struct State<T> {
    /// The result, once set and until the promise takes it.
    value: Option<T>,
    /// The setter is gone (it set a result, or it was dropped). After this no
    /// result can ever arrive, so a promise without a value has failed.
    setter_gone: bool,
    /// The waker of the task that polled the promise last and got `Pending`.
    waker: Option<Waker>,
}

/// Creates a connected pair: a [`Setter`] to set the result once, and the
/// [`Promise`] that resolves to it.
pub fn channel<T>() -> (Setter<T>, Promise<T>) {
    // `Arc`: both halves own the state, and either may be dropped first.
    // A std `Mutex`, not tokio's: every lock below is held for a few field
    // updates and never across an `.await` (a `poll` cannot await anyway).
    let shared = Arc::new(Mutex::new(State {
        value: None,
        setter_gone: false,
        waker: None,
    }));
    let setter = Setter {
        shared: Arc::clone(&shared),
    };
    (setter, Promise { shared })
}

/// The sending half: sets the result of its [`Promise`] once.
pub struct Setter<T> {
    shared: Arc<Mutex<State<T>>>,
}

impl<T> Setter<T> {
    /// Sets the result and wakes the task waiting on the promise, if any.
    ///
    /// Taking `self` makes "at most once" a compile-time fact, not a runtime check.
    pub fn set_result(self, value: T) {
        self.shared
            .lock()
            .expect("no code panics while holding the lock")
            .value = Some(value);
        // `self` is dropped here, and `Drop` below marks the setter gone and
        // wakes the waiter: one place that wakes, whether a result was set or not.
    }
}

impl<T> Drop for Setter<T> {
    fn drop(&mut self) {
        // The wrong answer: only a setter that set a value says it is gone.
        let waker = {
            let mut state = self
                .shared
                .lock()
                .expect("no code panics while holding the lock");
            if state.value.is_none() {
                return;
            }
            state.setter_gone = true;
            state.waker.take()
        };
        // Wake after the lock is released: the woken task may be polled at
        // once on another thread, and its `poll` takes the same lock.
        //
        // Forgetting this call is the classic bug: the value is there, but the
        // waiting task is never polled again and hangs.
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The receiving half: a future that resolves to the result set by its [`Setter`].
///
/// Resolves to `Err(Abandoned)` if the setter is dropped without a result.
pub struct Promise<T> {
    shared: Arc<Mutex<State<T>>>,
}

impl<T> Future for Promise<T> {
    type Output = Result<T, Abandoned>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // `Promise` is `Unpin` (it only holds an `Arc`), so no pin projection is
        // needed: we can use it through the `Pin` like a plain `&mut Self`.
        let mut state = self
            .shared
            .lock()
            .expect("no code panics while holding the lock");

        if let Some(value) = state.value.take() {
            return Poll::Ready(Ok(value));
        }
        if state.setter_gone {
            return Poll::Ready(Err(Abandoned));
        }

        // Not ready: remember who to wake. Keep the waker of the *latest* poll,
        // because a future may move to another task between polls; waking the
        // old task would leave the new one hanging. `will_wake` saves a clone
        // when the same task polls again.
        //
        // Do not call `cx.waker().wake_by_ref()` here "to be safe": that asks
        // to be polled again at once, a busy loop that burns the CPU and keeps
        // the runtime from ever going idle.
        match &mut state.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}
