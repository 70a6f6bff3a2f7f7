//! Pitfall: a task per timer, cancelled with `abort`.
//!
//! Most answers come out right, and the cost is hidden: every timer is a task
//! with a tokio timer of its own (ten thousand timers, ten thousand tasks); an
//! aborted task is dropped only when the runtime gets to it, so a cancelled
//! callback (and what it captured) outlives `cancel`; and timers due at the same
//! instant run in whatever order the runtime wakes their tasks.
//!
//! Caught by: ten_thousand_timers_need_one_task, cancelling_drops_the_callback_at_once, dropping_the_scheduler_cancels_its_timers_and_ends_its_task

// The given code, as the solution includes it.
#[path = "../../../katas/32-call-later/src/given.rs"]
mod given;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::{AbortHandle, JoinSet};
use tokio::time::Instant;

pub struct Scheduler {
    tasks: Mutex<JoinSet<()>>,
    pending: Arc<std::sync::atomic::AtomicUsize>,
}

#[derive(Debug)]
pub struct TimerHandle {
    when: Instant,
    abort: AbortHandle,
    state: Arc<AtomicBool>, // true once started or cancelled
    pending: Arc<std::sync::atomic::AtomicUsize>,
}

impl Scheduler {
    pub fn new() -> Self {
        Self {
            tasks: Mutex::new(JoinSet::new()),
            pending: Arc::default(),
        }
    }

    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + Send + 'static,
    ) -> TimerHandle {
        self.call_at(Instant::now() + delay, callback)
    }

    pub fn call_at(&self, when: Instant, callback: impl FnOnce() + Send + 'static) -> TimerHandle {
        let state = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&state);
        let pending = Arc::clone(&self.pending);
        pending.fetch_add(1, Ordering::SeqCst);
        let counter = Arc::clone(&pending);
        let abort = self.tasks.lock().unwrap().spawn(async move {
            tokio::time::sleep_until(when).await;
            if !flag.swap(true, Ordering::SeqCst) {
                counter.fetch_sub(1, Ordering::SeqCst);
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(callback));
            }
        });
        TimerHandle {
            when,
            abort,
            state,
            pending,
        }
    }

    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::SeqCst)
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.tasks.lock().unwrap().abort_all();
    }
}

impl TimerHandle {
    pub fn when(&self) -> Instant {
        self.when
    }

    pub fn cancel(&self) -> bool {
        if self.state.swap(true, Ordering::SeqCst) {
            return false;
        }
        self.pending.fetch_sub(1, Ordering::SeqCst);
        self.abort.abort();
        true
    }
}
