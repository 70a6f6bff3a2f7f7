//! The given part of kata 36: a [`Probe`] that makes blocking jobs which
//! count how many of them run at once (and the most that ever did), and which
//! the tests can hold back and release. You do not need to change this file;
//! the tests and the reference solution use it as it is.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// How long a held job waits for [`Probe::release`] before it gives up and
/// returns all the same, in real time: a wrong answer fails instead of
/// hanging.
pub const HOLD_LIMIT: Duration = Duration::from_secs(2);

/// Makes blocking jobs and watches them run.
#[derive(Debug)]
pub struct Probe {
    /// A std Mutex and Condvar: the jobs are plain blocking code.
    state: Mutex<ProbeState>,
    released: Condvar,
    /// How many jobs run right now; a watch channel, so that an async test
    /// can wait for a count without polling.
    running: watch::Sender<usize>,
}

#[derive(Debug, Default)]
struct ProbeState {
    held: bool,
    running: usize,
    peak: usize,
    started: Vec<usize>,
    finished: Vec<usize>,
    gave_up: usize,
}

impl Probe {
    /// A probe whose jobs run straight through, until [`hold`](Probe::hold).
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::default(),
            released: Condvar::new(),
            running: watch::Sender::new(0),
        })
    }

    fn state(&self) -> MutexGuard<'_, ProbeState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// From now on, every job, once started, waits for
    /// [`release`](Probe::release) (up to [`HOLD_LIMIT`]) before it ends.
    pub fn hold(&self) {
        self.state().held = true;
    }

    /// Lets every waiting job end, and every later one run straight through.
    pub fn release(&self) {
        self.state().held = false;
        self.released.notify_all();
    }

    /// A blocking job numbered `id`: it counts itself as running, waits
    /// while the probe is held, stops counting, and returns `id`.
    pub fn job(self: &Arc<Self>, id: usize) -> impl FnOnce() -> usize + Send + 'static + use<> {
        let probe = Arc::clone(self);
        move || probe.run(id)
    }

    fn run(&self, id: usize) -> usize {
        let deadline = Instant::now() + HOLD_LIMIT;
        let mut state = self.state();
        state.running += 1;
        state.peak = state.peak.max(state.running);
        state.started.push(id);
        self.running.send_replace(state.running);
        while state.held {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                state.gave_up += 1;
                break;
            }
            state = self
                .released
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        state.running -= 1;
        state.finished.push(id);
        self.running.send_replace(state.running);
        id
    }

    /// How many jobs run right now.
    pub fn running(&self) -> usize {
        self.state().running
    }

    /// The most jobs that ever ran at the same time.
    pub fn peak(&self) -> usize {
        self.state().peak
    }

    /// The ids of the jobs that have started, in the order they started.
    pub fn started(&self) -> Vec<usize> {
        self.state().started.clone()
    }

    /// The ids of the jobs that have finished, in the order they finished.
    pub fn finished(&self) -> Vec<usize> {
        self.state().finished.clone()
    }

    /// How many held jobs gave up waiting for [`release`](Probe::release).
    pub fn gave_up(&self) -> usize {
        self.state().gave_up
    }

    /// Resolves once at least `jobs` jobs run at the same time.
    pub async fn until_running(&self, jobs: usize) {
        let mut running = self.running.subscribe();
        // The sender lives in `self`, which outlives this borrow: the channel
        // cannot close while we wait.
        let _ = running.wait_for(|&now| now >= jobs).await;
    }
}
