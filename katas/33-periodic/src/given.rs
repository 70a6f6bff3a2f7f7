//! The given part of kata 33: a simulated periodic [`Job`] that takes a
//! scripted time per run and writes down when each run started. You do not
//! need to change this file; the tests and the reference solution use it as
//! it is.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// How long, in real time, the thread may be kept from the runtime between
/// two runs before the job calls it a blocked thread. A loop that waits on
/// tokio's timer needs microseconds here, even on a busy machine.
const BLOCKED: std::time::Duration = std::time::Duration::from_millis(500);

/// A job whose runs take scripted times (the last one repeats forever), on
/// tokio's clock. It writes down when each run started, measured from the
/// creation of the job, and notices runs that overlap.
///
/// It also watches the *real* time between the end of a run and the start of
/// the next: on the paused clock of the tests that gap is next to nothing,
/// unless the loop blocks its thread (`std::thread::sleep`), which does not
/// even move tokio's clock. Then the next run panics, saying so, instead of
/// letting the test wait for real minutes.
#[derive(Debug)]
pub struct Job {
    /// The time `new` was called: start times are measured from here.
    epoch: Instant,
    /// A std Mutex: never held across an `.await`.
    state: Mutex<JobState>,
}

#[derive(Debug)]
struct JobState {
    script: VecDeque<Duration>,
    starts: Vec<Duration>,
    running: usize,
    overlapped: bool,
    /// When (in real time) the last run ended.
    last_end: Option<std::time::Instant>,
}

impl Job {
    /// A job whose runs take `durations`, in order; the last one repeats.
    ///
    /// # Panics
    /// If `durations` is empty.
    pub fn new(durations: impl IntoIterator<Item = Duration>) -> Self {
        let script: VecDeque<Duration> = durations.into_iter().collect();
        assert!(!script.is_empty(), "a job needs at least one duration");
        Self {
            epoch: Instant::now(),
            state: Mutex::new(JobState {
                script,
                starts: Vec::new(),
                running: 0,
                overlapped: false,
                last_end: None,
            }),
        }
    }

    /// One run: writes down its start, then works (waits on tokio's clock)
    /// for the next scripted duration.
    ///
    /// # Panics
    /// If more than half a second of real time has passed since the last run
    /// ended: the loop blocked its thread in between.
    pub async fn run(&self) {
        let took = {
            let mut state = self.lock();
            if let Some(gap) = state.last_end.map(|end| end.elapsed())
                && gap > BLOCKED
            {
                drop(state);
                panic!(
                    "the loop kept its thread for {gap:?} of real time between two runs: \
                     a blocking sleep (std::thread::sleep) stops every task on the thread, \
                     and does not even move tokio's clock"
                );
            }
            state.starts.push(self.epoch.elapsed());
            state.running += 1;
            if state.running > 1 {
                state.overlapped = true;
            }
            if state.script.len() > 1 {
                state.script.pop_front().expect("checked: more than one")
            } else {
                state.script[0]
            }
        };
        // Counts the run as over even if it is dropped half-way.
        let _running = Running(self);
        tokio::time::sleep(took).await;
    }

    /// When each run started, measured from the creation of the job.
    pub fn starts(&self) -> Vec<Duration> {
        self.lock().starts.clone()
    }

    /// Whether a run ever started while another was still going.
    pub fn overlapped(&self) -> bool {
        self.lock().overlapped
    }

    /// How many runs are going on now (0 or 1, if they never overlap).
    pub fn running(&self) -> usize {
        self.lock().running
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JobState> {
        self.state.lock().expect("the job never panics")
    }
}

/// Marks the end of a run when dropped.
struct Running<'a>(&'a Job);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.running -= 1;
        state.last_end = Some(std::time::Instant::now());
    }
}
