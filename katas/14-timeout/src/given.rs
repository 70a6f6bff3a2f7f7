//! The given part of kata 14: the simulated [`Service`], its replies and
//! errors, and the [`TimeoutError`] the three functions return. You do not
//! need to change this file; the tests and the reference solution use it as it
//! is.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// What the simulated [`Service`] does on one call.
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
