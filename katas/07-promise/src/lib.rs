//! Kata 07: a one-shot promise, written by hand.
//!
//! Build the Rust cousin of Python's `loop.create_future()`: [`channel`] makes
//! a [`Setter`] (which sets the result once, like `fut.set_result(…)`) and a
//! [`Promise`] (a `Future` a task can `.await`). No `tokio::sync::oneshot`:
//! the point is to write the `Future` yourself, with shared state and a
//! [`Waker`].
//!
//! The [`Abandoned`] error is given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p promise`, or `cargo xtask watch`.

mod given;
pub use given::Abandoned;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// What the two halves share.
///
/// A starting point: add, rename or remove fields as you see fit.
struct State<T> {
    /// The result, once set and until the promise takes it.
    value: Option<T>,
    /// The waker of the task that last polled the promise and got `Pending`.
    waker: Option<Waker>,
    // TODO: how will the promise know that the setter is gone for good?
}

/// Creates a connected pair: a [`Setter`] to set the result once, and the
/// [`Promise`] that resolves to it.
pub fn channel<T>() -> (Setter<T>, Promise<T>) {
    let shared = Arc::new(Mutex::new(State {
        value: None,
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
    pub fn set_result(self, value: T) {
        // TODO: store the value, and wake the waiting task (exactly once).
        let _ = (&self.shared, value);
        todo!("set the result of the promise")
    }
}

impl<T> Drop for Setter<T> {
    /// Dropping the setter without a result fails the promise with [`Abandoned`].
    fn drop(&mut self) {
        // TODO: tell the promise that no result will ever come, and wake the waiter.
        // (`drop` also runs at the end of `set_result`, which takes `self`.)
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

    /// `Ready` with the result once it is set (or the setter is gone);
    /// otherwise `Pending`, remembering whom to wake.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: return the value if it is there, the error if the setter is
        // gone, and otherwise keep `cx.waker()` so the setter can wake us.
        let state = self
            .shared
            .lock()
            .expect("no code panics while holding the lock");
        todo!(
            "poll the promise (result set: {}, waker stored: {}) for {:?}",
            state.value.is_some(),
            state.waker.is_some(),
            cx.waker()
        )
    }
}
