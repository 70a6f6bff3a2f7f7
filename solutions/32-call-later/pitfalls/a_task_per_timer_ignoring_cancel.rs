//! Pitfall: a task per timer that sleeps and then calls the callback, whatever `cancel` said.
//!
//! The first version anyone writes: `tokio::spawn(async move { sleep_until(when).await; callback() })`.
//! `cancel` has no way to reach the sleeping task, so it "succeeds" and the callback
//! runs anyway; the callback and what it captured stay alive until the deadline;
//! dropping the scheduler stops nothing; and ten thousand timers are ten thousand
//! tasks.
//!
//! Caught by: a_cancelled_timer_never_runs, cancel_after_the_callback_ran_returns_false, cancelling_drops_the_callback_at_once, a_callback_can_cancel_a_timer_due_at_the_same_instant, dropping_the_scheduler_cancels_its_timers_and_ends_its_task, ten_thousand_timers_need_one_task

// The given code, as the solution includes it.
#[path = "../../../katas/32-call-later/src/given.rs"]
mod given;

use std::time::Duration;

use tokio::time::Instant;

pub struct Scheduler {}

#[derive(Debug)]
pub struct TimerHandle {
    when: Instant,
}

impl Scheduler {
    pub fn new() -> Self {
        Self {}
    }

    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + Send + 'static,
    ) -> TimerHandle {
        self.call_at(Instant::now() + delay, callback)
    }

    pub fn call_at(&self, when: Instant, callback: impl FnOnce() + Send + 'static) -> TimerHandle {
        tokio::spawn(async move {
            tokio::time::sleep_until(when).await;
            callback();
        });
        TimerHandle { when }
    }

    pub fn pending(&self) -> usize {
        0
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {}
}

impl TimerHandle {
    pub fn when(&self) -> Instant {
        self.when
    }

    pub fn cancel(&self) -> bool {
        true
    }
}
