//! Kata 14: put a timeout on an operation.
//!
//! Write three ways to bound the time an operation may take, each returning a
//! [`TimeoutError`] that tells "the time ran out" from "the operation failed":
//!
//! * [`with_timeout`]: a relative limit, like Python's `asyncio.wait_for`;
//! * [`with_deadline`]: an absolute deadline, like `asyncio.timeout_at`;
//! * [`retry_until`]: retry a failing operation, but only until one deadline.
//!
//! The simulated [`Service`] is given; it counts the calls that were dropped
//! before they answered, which is how the tests see a cancellation.
//!
//! Run the tests with `cargo test -p timeout`, or `cargo xtask watch`.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// What the simulated [`Service`] does on one call.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// Answers with the value after the latency.
    Value(u32, Duration),
    /// Fails with the message after the latency.
    Fail(&'static str, Duration),
    /// Never answers.
    Hang,
}

/// The service's own error: it answered, and the answer was a failure.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError(pub String);

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error: {}", self.0)
    }
}

impl std::error::Error for ServiceError {}

/// A simulated remote service that plays a script of [`Reply`]s, one per
/// call, repeating the last one forever. It records when each call started
/// and whether it finished or was abandoned (dropped before it answered).
///
/// This part is given: you do not need to change it.
#[derive(Debug)]
pub struct Service {
    /// The time `new` was called: call times are measured from here.
    epoch: Instant,
    /// A std Mutex: it is never held across an `.await`, and the drop guard
    /// of a call (which cannot await) locks it too.
    state: Mutex<ServiceState>,
}

#[derive(Debug)]
struct ServiceState {
    script: VecDeque<Reply>,
    started_at: Vec<Duration>,
    finished: usize,
    abandoned: usize,
}

impl Service {
    /// A service that answers the calls with `script`, in order; the last
    /// reply repeats forever.
    ///
    /// # Panics
    /// If the script is empty.
    pub fn new(script: impl IntoIterator<Item = Reply>) -> Self {
        let script: VecDeque<Reply> = script.into_iter().collect();
        assert!(!script.is_empty(), "a service needs at least one reply");
        Self {
            epoch: Instant::now(),
            state: Mutex::new(ServiceState {
                script,
                started_at: Vec::new(),
                finished: 0,
                abandoned: 0,
            }),
        }
    }

    /// Calls the service once.
    pub async fn call(&self) -> Result<u32, ServiceError> {
        let reply = {
            let mut state = self.state.lock().expect("the service never panics");
            state.started_at.push(self.epoch.elapsed());
            if state.script.len() > 1 {
                state
                    .script
                    .pop_front()
                    .expect("checked: more than one reply")
            } else {
                state.script[0]
            }
        };
        // Counts the call as abandoned if it is dropped before it answers.
        let mut guard = CallGuard {
            service: self,
            answered: false,
        };
        let answer = match reply {
            Reply::Value(value, latency) => {
                tokio::time::sleep(latency).await;
                Ok(value)
            }
            Reply::Fail(message, latency) => {
                tokio::time::sleep(latency).await;
                Err(ServiceError(message.to_owned()))
            }
            Reply::Hang => std::future::pending().await,
        };
        guard.answered = true;
        answer
    }

    /// When each call started, measured from the creation of the service.
    pub fn calls_started_at(&self) -> Vec<Duration> {
        self.lock().started_at.clone()
    }

    /// How many calls answered (with a value or a failure).
    pub fn finished(&self) -> usize {
        self.lock().finished
    }

    /// How many calls were dropped before they answered.
    pub fn abandoned(&self) -> usize {
        self.lock().abandoned
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ServiceState> {
        self.state.lock().expect("the service never panics")
    }
}

struct CallGuard<'a> {
    service: &'a Service,
    answered: bool,
}

impl Drop for CallGuard<'_> {
    fn drop(&mut self) {
        let mut state = self.service.lock();
        if self.answered {
            state.finished += 1;
        } else {
            state.abandoned += 1;
        }
    }
}

/// Why a timed operation gave no value.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeoutError<E> {
    /// The time ran out first; the operation was dropped unfinished.
    TimedOut,
    /// The operation finished in time, with its own error.
    Failed(E),
}

impl<E: fmt::Display> fmt::Display for TimeoutError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TimedOut => f.write_str("timed out"),
            Self::Failed(error) => write!(f, "failed: {error}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for TimeoutError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::TimedOut => None,
            Self::Failed(error) => Some(error),
        }
    }
}

/// Runs `operation` for at most `limit` (like Python's `wait_for`).
///
/// An operation that finishes exactly at the limit counts as finished: tokio
/// polls the operation before it looks at the clock. A zero limit still polls
/// the operation once.
pub async fn with_timeout<T, E>(
    limit: Duration,
    operation: impl Future<Output = Result<T, E>>,
) -> Result<T, TimeoutError<E>> {
    // TODO: `tokio::time::timeout` gives `Result<Result<T, E>, Elapsed>`; map
    // each of the three cases to its own answer.
    let _operation = operation;
    todo!("run the operation for at most {limit:?}")
}

/// Runs `operation` until the instant `deadline` at the latest (like Python's
/// `asyncio.timeout_at`).
///
/// A deadline already in the past still polls the operation once, so a
/// result that is ready at once is returned.
pub async fn with_deadline<T, E>(
    deadline: Instant,
    operation: impl Future<Output = Result<T, E>>,
) -> Result<T, TimeoutError<E>> {
    // TODO: the same, with `tokio::time::timeout_at`.
    let _operation = operation;
    todo!("run the operation until {deadline:?} at the latest")
}

/// Calls `attempt` again and again, `pause` apart, until one attempt succeeds
/// or `deadline` comes.
///
/// An attempt that fails is retried after `pause`; an attempt still running
/// at the deadline is dropped. When the deadline comes without a success,
/// returns [`TimeoutError::TimedOut`] at exactly the deadline: never later,
/// and never earlier either (a pause that would reach past the deadline
/// waits for the deadline instead of starting another attempt).
pub async fn retry_until<T, E, F, Fut>(
    deadline: Instant,
    pause: Duration,
    mut attempt: F,
) -> Result<T, TimeoutError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    // TODO: a loop: run `attempt()` under the one shared deadline; return a
    // value or a time-out; after a failure, pause (never past the deadline).
    let _ = &mut attempt;
    todo!("retry every {pause:?} until {deadline:?}")
}
