//! Pitfall: a plain `tokio_util::time::DelayQueue`, fed through a channel, with a flag for cancel.
//!
//! `DelayQueue` is the ecosystem's tool for many timers, but it is a timer wheel:
//! it promises nothing about timers due at the same instant, and timers set for
//! one instant 5 s away, at different times, came back in exactly the reverse
//! order. Cancelling through a flag leaves the callback queued (and alive) until
//! its deadline, and the driver, not the scheduler, owns the queue.
//!
//! Caught by: equal_deadlines_run_in_the_order_they_were_set, cancelling_drops_the_callback_at_once, dropping_the_scheduler_cancels_its_timers_and_ends_its_task

// The given code, as the solution includes it.
#[path = "../../../katas/32-call-later/src/given.rs"]
mod given;

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::time::DelayQueue;

type Callback = Box<dyn FnOnce() + Send>;

const WAITING: u8 = 0;
const TAKEN: u8 = 1;

pub struct Scheduler {
    tx: mpsc::UnboundedSender<(Instant, Callback, Arc<AtomicU8>)>,
    task: tokio::task::JoinHandle<()>,
    pending: Arc<AtomicUsize>,
}

#[derive(Debug)]
pub struct TimerHandle {
    when: Instant,
    state: Arc<AtomicU8>,
    pending: Arc<AtomicUsize>,
}

impl Scheduler {
    pub fn new() -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Callback, Arc<AtomicU8>)>();
        let pending: Arc<AtomicUsize> = Arc::default();
        let counter = Arc::clone(&pending);
        let task = tokio::spawn(async move {
            let mut queue: DelayQueue<(Callback, Arc<AtomicU8>)> = DelayQueue::new();
            loop {
                tokio::select! {
                    Some((when, cb, state)) = rx.recv() => { queue.insert_at((cb, state), when); }
                    Some(expired) = queue.next(), if !queue.is_empty() => {
                        let (cb, state) = expired.into_inner();
                        if state.compare_exchange(WAITING, TAKEN, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
                            counter.fetch_sub(1, Ordering::SeqCst);
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(cb));
                        }
                    }
                    else => break,
                }
            }
        });
        Self { tx, task, pending }
    }

    pub fn call_later(
        &self,
        delay: Duration,
        callback: impl FnOnce() + Send + 'static,
    ) -> TimerHandle {
        self.call_at(Instant::now() + delay, callback)
    }

    pub fn call_at(&self, when: Instant, callback: impl FnOnce() + Send + 'static) -> TimerHandle {
        let state = Arc::new(AtomicU8::new(WAITING));
        self.pending.fetch_add(1, Ordering::SeqCst);
        let _ = self.tx.send((when, Box::new(callback), Arc::clone(&state)));
        TimerHandle {
            when,
            state,
            pending: Arc::clone(&self.pending),
        }
    }

    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::SeqCst)
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TimerHandle {
    pub fn when(&self) -> Instant {
        self.when
    }

    pub fn cancel(&self) -> bool {
        let won = self
            .state
            .compare_exchange(WAITING, TAKEN, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok();
        if won {
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
        won
    }
}
