//! The given part of kata 27: a [`Job`], the simulated [`Service`] that runs
//! jobs and watches how many are in flight, and the [`OverRelease`] error. You
//! do not need to change this file; the tests and the reference solution use
//! it as it is.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// One piece of work: an id, and how long the service takes over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// The job's id; its result is `id * 10`.
    pub id: u32,
    /// How long handling it takes, on tokio's clock.
    pub duration: Duration,
}

/// A slow remote service (an API with a rate of its own, a database with a
/// connection cap) that records how many jobs it is handling at each moment.
#[derive(Debug)]
pub struct Service {
    /// The time `new` was called: start times are measured from here.
    epoch: Instant,
    /// A std Mutex: it is held for one statement at a time, never across an
    /// `.await`, and a job's drop guard (which cannot await) locks it too.
    state: Mutex<ServiceState>,
}

#[derive(Debug, Default)]
struct ServiceState {
    in_flight: usize,
    peak: usize,
    starts: Vec<(u32, Duration)>,
    finished: usize,
    abandoned: usize,
}

impl Service {
    /// A service with nothing in flight.
    pub fn new() -> Self {
        Self {
            epoch: Instant::now(),
            state: Mutex::default(),
        }
    }

    /// Handles `job`: takes `job.duration`, then answers `job.id * 10`.
    ///
    /// A call dropped before it answers counts as abandoned, and is no
    /// longer in flight.
    pub async fn handle(&self, job: Job) -> u32 {
        {
            let mut state = self.lock();
            state.in_flight += 1;
            state.peak = state.peak.max(state.in_flight);
            let at = self.epoch.elapsed();
            state.starts.push((job.id, at));
        }
        let mut call = InFlight {
            service: self,
            answered: false,
        };
        tokio::time::sleep(job.duration).await;
        call.answered = true;
        job.id * 10
    }

    /// How many jobs are being handled right now.
    pub fn in_flight(&self) -> usize {
        self.lock().in_flight
    }

    /// The most jobs that were ever in flight at once.
    pub fn peak(&self) -> usize {
        self.lock().peak
    }

    /// Every job started so far, with its start time measured from `new`, in
    /// the order they started.
    pub fn starts(&self) -> Vec<(u32, Duration)> {
        self.lock().starts.clone()
    }

    /// How many jobs have answered.
    pub fn finished(&self) -> usize {
        self.lock().finished
    }

    /// How many jobs were dropped before they answered.
    pub fn abandoned(&self) -> usize {
        self.lock().abandoned
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ServiceState> {
        // Nothing panics while this lock is held, so it is never poisoned.
        self.state.lock().expect("the service never panics")
    }
}

impl Default for Service {
    fn default() -> Self {
        Self::new()
    }
}

/// Takes a job out of the in-flight count when it answers or is dropped.
struct InFlight<'a> {
    service: &'a Service,
    answered: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut state = self.service.lock();
        state.in_flight -= 1;
        if self.answered {
            state.finished += 1;
        } else {
            state.abandoned += 1;
        }
    }
}

/// A bounded semaphore was released more times than it was acquired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverRelease {
    /// The number of permits the semaphore was created with: its ceiling.
    pub permits: usize,
}

impl fmt::Display for OverRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "released more times than acquired: this semaphore holds at most {} permits",
            self.permits
        )
    }
}

impl std::error::Error for OverRelease {}
