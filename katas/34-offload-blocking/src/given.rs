//! The given part of kata 34: a blocking [`LegacyClient`] (think `requests`,
//! or a database driver with no async API) and the [`Remote`] service it
//! talks to, whose answers the tests hold back and release. You do not need to
//! change this file; the tests and the reference solution use it as it is.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// How long [`LegacyClient::get`] waits for an answer before it gives up, in
/// real time, like the read timeout of a socket.
pub const READ_TIMEOUT: Duration = Duration::from_secs(1);

/// What the legacy service can answer besides a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyError {
    /// The service knows no such key.
    NotFound(String),
    /// No answer came within [`READ_TIMEOUT`].
    TimedOut(String),
}

impl fmt::Display for LegacyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound(key) => write!(f, "no entry for {key:?}"),
            Self::TimedOut(key) => {
                write!(f, "no answer for {key:?} within {READ_TIMEOUT:?}")
            }
        }
    }
}

impl std::error::Error for LegacyError {}

/// The far end of the legacy service: a directory of names. It answers at
/// once, unless the tests [`hold`](Remote::hold) its answers back.
#[derive(Debug)]
pub struct Remote {
    directory: HashMap<String, String>,
    /// A std Mutex and Condvar: the callers are plain blocking threads.
    held: Mutex<bool>,
    released: Condvar,
    /// How many calls are blocked waiting for an answer right now; a watch
    /// channel, so that an async test can wait for a count without polling.
    waiting: watch::Sender<usize>,
}

impl Remote {
    /// A service that knows these entries.
    pub fn new<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Arc<Self> {
        Arc::new(Self {
            directory: entries
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect(),
            held: Mutex::new(false),
            released: Condvar::new(),
            waiting: watch::Sender::new(0),
        })
    }

    /// From now on, every call waits for [`release`](Remote::release) (or
    /// gives up after [`READ_TIMEOUT`]).
    pub fn hold(&self) {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) = true;
    }

    /// Answers every waiting call, and every later call at once.
    pub fn release(&self) {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) = false;
        self.released.notify_all();
    }

    /// How many calls are blocked waiting for an answer right now.
    pub fn waiting(&self) -> usize {
        *self.waiting.borrow()
    }

    /// Resolves once at least `calls` calls are blocked waiting for an answer
    /// at the same time.
    pub async fn until_waiting(&self, calls: usize) {
        let mut waiting = self.waiting.subscribe();
        // The sender lives in `self`, which outlives this borrow: the channel
        // cannot close while we wait.
        let _ = waiting.wait_for(|&now| now >= calls).await;
    }

    /// Blocks the calling thread until the service answers `key`.
    fn answer(&self, key: &str) -> Result<String, LegacyError> {
        let deadline = Instant::now() + READ_TIMEOUT;
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if *held {
            self.waiting.send_modify(|n| *n += 1);
            while *held {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                held = self
                    .released
                    .wait_timeout(held, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            self.waiting.send_modify(|n| *n -= 1);
            if *held {
                return Err(LegacyError::TimedOut(key.to_owned()));
            }
        }
        drop(held);
        self.directory
            .get(key)
            .cloned()
            .ok_or_else(|| LegacyError::NotFound(key.to_owned()))
    }
}

/// One finished call of [`LegacyClient::get`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The key asked for.
    pub key: String,
    /// The OS thread the call blocked.
    pub thread: ThreadId,
    /// What the call returned.
    pub answer: Result<String, LegacyError>,
}

/// A client of the legacy service with a blocking API only: every call
/// blocks the thread that makes it until the answer arrives.
#[derive(Debug)]
pub struct LegacyClient {
    remote: Arc<Remote>,
    /// Finished calls, in the order they finished.
    calls: Mutex<Vec<Call>>,
    /// How many calls have finished, for async tests to wait on.
    finished: watch::Sender<usize>,
}

impl LegacyClient {
    /// A client of `remote`.
    pub fn new(remote: Arc<Remote>) -> Self {
        Self {
            remote,
            calls: Mutex::default(),
            finished: watch::Sender::new(0),
        }
    }

    /// Looks `key` up. **Blocking**: the calling thread waits for the answer,
    /// up to [`READ_TIMEOUT`] of real time, and can do nothing else meanwhile.
    ///
    /// # Errors
    /// [`LegacyError::NotFound`] for an unknown key, [`LegacyError::TimedOut`]
    /// when no answer came in time.
    pub fn get(&self, key: &str) -> Result<String, LegacyError> {
        let answer = self.remote.answer(key);
        // A std Mutex is right here: this is plain blocking code, and the
        // guard lives for this one statement.
        self.calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Call {
                key: key.to_owned(),
                thread: thread::current().id(),
                answer: answer.clone(),
            });
        self.finished.send_modify(|n| *n += 1);
        answer
    }

    /// The calls finished so far, in the order they finished.
    pub fn calls(&self) -> Vec<Call> {
        self.calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Resolves once at least `calls` calls have finished.
    pub async fn until_finished(&self, calls: usize) {
        let mut finished = self.finished.subscribe();
        // The sender lives in `self`: the channel cannot close meanwhile.
        let _ = finished.wait_for(|&now| now >= calls).await;
    }
}
