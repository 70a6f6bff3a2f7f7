//! Kata 14, reference solution: put a timeout on an operation.
//!
//! `tokio::time::timeout` wraps a future: it polls the operation, and if the
//! time runs out first it *drops* it and returns `Err(Elapsed)`. Dropping is
//! tokio's cancellation (kata 13), so an operation that timed out is really
//! gone, and whatever it held is released at that instant.
//!
//! What `timeout` gives back is a nested `Result<Result<T, E>, Elapsed>`, and
//! nested results are where "it timed out" and "it failed" get mixed up. Here
//! the two are flattened into one [`TimeoutError`] that keeps them apart, for
//! a relative limit ([`with_timeout`]), an absolute deadline
//! ([`with_deadline`]), and retries that all share one deadline
//! ([`retry_until`]), so that retrying cannot go on forever.

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
    // The outer `Result` is the timer's, the inner one the operation's. Each
    // is mapped to its own variant; `Elapsed` carries nothing worth keeping.
    // When the timer wins, `timeout` has already dropped the operation.
    match tokio::time::timeout(limit, operation).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(TimeoutError::Failed(error)),
        Err(_elapsed) => Err(TimeoutError::TimedOut),
    }
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
    // `timeout_at` rather than `timeout(deadline - now)`: the deadline is a
    // point in time, so however long the caller took to get here, the
    // operation ends at the same instant. That is what lets several steps
    // share one deadline (see `retry_until`).
    match tokio::time::timeout_at(deadline, operation).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(TimeoutError::Failed(error)),
        Err(_elapsed) => Err(TimeoutError::TimedOut),
    }
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
    loop {
        // Every attempt gets the *same* deadline, not a fresh allowance: the
        // total time is bounded however many attempts there are.
        match with_deadline(deadline, attempt()).await {
            Ok(value) => return Ok(value),
            // Out of time: retrying now would only start an attempt that is
            // cut off at once.
            Err(TimeoutError::TimedOut) => return Err(TimeoutError::TimedOut),
            // The service's own failure is the one thing worth retrying.
            Err(TimeoutError::Failed(_)) => {}
        }
        let resume = Instant::now() + pause;
        if resume >= deadline {
            // No time for another attempt. Waiting out the deadline keeps the
            // promise that `TimedOut` comes exactly at the deadline.
            tokio::time::sleep_until(deadline).await;
            return Err(TimeoutError::TimedOut);
        }
        tokio::time::sleep_until(resume).await;
    }
}
