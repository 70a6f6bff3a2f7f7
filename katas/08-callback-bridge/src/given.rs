//! The given part of kata 08: the old callback-based client, the ways it can
//! misbehave, and the error of the async bridge. You do not need to change this
//! file; the tests and the reference solution use it as it is.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How the [`LegacyClient`] treats the callbacks it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Calls the callback once, after the delay.
    Correct,
    /// Calls the callback twice: the answer, then a second, stale answer.
    CallsTwice,
    /// Drops the callback without calling it (the lookup failed silently).
    DropsCallback,
    /// Keeps the callback for ever and never calls it (the lookup is stuck).
    NeverCalls,
    /// Calls the callback at once, on the caller's thread, before `lookup`
    /// returns (an answer the library had cached).
    CallsAtOnce,
    /// Keeps the callback, on no thread of its own, until
    /// [`LegacyClient::release`] calls it: the answer comes when someone else
    /// says so (an event, a message from another part of the program).
    WaitsForRelease,
}

/// A callback-based client from an old library: each `lookup` answers on a
/// thread of its own, after a delay, by calling the callback it was given
/// (unless its [`Behaviour`] says otherwise).
pub struct LegacyClient {
    delay: Duration,
    behaviour: Behaviour,
    inner: Arc<Inner>,
}

/// A callback the client holds on to.
type Callback = Box<dyn FnMut(String) + Send>;

/// What the client shares with its threads.
#[derive(Default)]
struct Inner {
    /// Lookups started and not yet answered.
    in_flight: AtomicUsize,
    /// The highest `in_flight` seen.
    peak_in_flight: AtomicUsize,
    /// Every thread started, so that `join_threads` can wait for them.
    threads: Mutex<Vec<JoinHandle<()>>>,
    /// The callbacks kept by [`Behaviour::NeverCalls`].
    stuck: Mutex<Vec<Callback>>,
    /// The callbacks kept by [`Behaviour::WaitsForRelease`], with their keys.
    held: Mutex<Vec<(String, Callback)>>,
}

impl LegacyClient {
    /// A client whose lookups take `delay` (real time) and treat their
    /// callbacks as `behaviour` says.
    pub fn new(delay: Duration, behaviour: Behaviour) -> Self {
        Self {
            delay,
            behaviour,
            inner: Arc::default(),
        }
    }

    /// Starts a lookup of `key` and returns at once. After the delay, a new OS
    /// thread calls `callback` with `"value of {key}"`; [`Behaviour`] says how
    /// else it may treat the callback (call it twice, drop it, keep it, call
    /// it before returning, or keep it until [`release`](Self::release)).
    pub fn lookup<F>(&self, key: &str, mut callback: F)
    where
        F: FnMut(String) + Send + 'static,
    {
        let key = key.to_owned();
        let (delay, behaviour, inner) = (self.delay, self.behaviour, Arc::clone(&self.inner));
        let now = inner.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        inner.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        match behaviour {
            Behaviour::CallsAtOnce => {
                inner.in_flight.fetch_sub(1, Ordering::SeqCst);
                callback(format!("value of {key}"));
                return;
            }
            Behaviour::WaitsForRelease => {
                inner
                    .held
                    .lock()
                    .expect("no thread panics while holding the lock")
                    .push((key, Box::new(callback)));
                return;
            }
            _ => {}
        }
        let thread = std::thread::spawn(move || {
            // A legacy library blocking its own thread: this is not async code.
            #[allow(clippy::disallowed_methods, reason = "a plain OS thread, not a task")]
            std::thread::sleep(delay);
            inner.in_flight.fetch_sub(1, Ordering::SeqCst);
            match behaviour {
                Behaviour::Correct => callback(format!("value of {key}")),
                Behaviour::CallsTwice => {
                    callback(format!("value of {key}"));
                    callback(format!("stale value of {key}"));
                }
                Behaviour::DropsCallback => drop(callback),
                Behaviour::NeverCalls => inner
                    .stuck
                    .lock()
                    .expect("no thread panics while holding the lock")
                    .push(Box::new(callback)),
                Behaviour::CallsAtOnce | Behaviour::WaitsForRelease => {
                    unreachable!("answered without a thread, above")
                }
            }
        });
        self.inner
            .threads
            .lock()
            .expect("no thread panics while holding the lock")
            .push(thread);
    }

    /// Answers every lookup kept by [`Behaviour::WaitsForRelease`]: calls each
    /// callback once, on the calling thread, with `"value of {key}"`, and
    /// returns how many it called. (A callback that panics panics here.)
    pub fn release(&self) -> usize {
        // Taken out of the lock first: a callback may start another lookup.
        let held = std::mem::take(
            &mut *self
                .inner
                .held
                .lock()
                .expect("no thread panics while holding the lock"),
        );
        let released = held.len();
        for (key, mut callback) in held {
            self.inner.in_flight.fetch_sub(1, Ordering::SeqCst);
            callback(format!("value of {key}"));
        }
        released
    }

    /// The most lookups that were in flight at the same time.
    pub fn peak_in_flight(&self) -> usize {
        self.inner.peak_in_flight.load(Ordering::SeqCst)
    }

    /// Waits (blocking) for every thread started so far, and returns how many
    /// of them panicked: a callback that panics takes its thread down.
    pub fn join_threads(&self) -> usize {
        let threads = std::mem::take(
            &mut *self
                .inner
                .threads
                .lock()
                .expect("no thread panics while holding the lock"),
        );
        threads
            .into_iter()
            .map(JoinHandle::join)
            .filter(Result::is_err)
            .count()
    }
}

/// Why an async [`lookup`](crate::lookup) failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BridgeError {
    /// The callback did not fire within the time limit.
    TimedOut,
    /// The legacy client dropped the callback without calling it.
    CallbackDropped,
}

impl fmt::Display for BridgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TimedOut => f.write_str("the callback did not fire in time"),
            Self::CallbackDropped => f.write_str("the callback was dropped without being called"),
        }
    }
}

impl std::error::Error for BridgeError {}
