//! The given part of kata 29: the [`Flag`] that holds the event's state, and
//! the probes the tests use to make `set` and `wait` meet at the worst
//! possible moment. You do not need to change this file; the tests and the
//! reference solution use it as it is.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

/// The event's state: set or not.
///
/// It is an `AtomicBool` whose every access is `SeqCst`, with one extra for
/// the tests: right after a [`load`](Flag::load), and right before a
/// [`store`](Flag::store), it runs the probe armed on this thread by
/// [`after_next_load`] or [`before_next_store`], if any. That is how a test
/// calls `set` in the instant between `wait` reading the flag and `wait`
/// starting to wait, or starts a `wait` in the middle of a `set`.
#[derive(Debug, Default)]
pub struct Flag {
    value: AtomicBool,
}

impl Flag {
    /// A flag that is not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the flag (then runs the probe armed on this thread, if any).
    pub fn load(&self) -> bool {
        let value = self.value.load(Ordering::SeqCst);
        run_probe(&AFTER_LOAD);
        value
    }

    /// Writes the flag (after running the probe armed on this thread, if any).
    pub fn store(&self, value: bool) {
        run_probe(&BEFORE_STORE);
        self.value.store(value, Ordering::SeqCst);
    }
}

type Probe = RefCell<Option<Box<dyn FnOnce()>>>;

thread_local! {
    /// Run once, by the next `Flag::load` on this thread, after it reads.
    static AFTER_LOAD: Probe = RefCell::new(None);
    /// Run once, by the next `Flag::store` on this thread, before it writes.
    static BEFORE_STORE: Probe = RefCell::new(None);
}

fn run_probe(slot: &'static std::thread::LocalKey<Probe>) {
    // The probe is taken out before it runs, so that a probe that touches a
    // flag itself does not run again.
    if let Some(probe) = slot.with(|probe| probe.borrow_mut().take()) {
        probe();
    }
}

/// Arms `probe`: the next [`Flag::load`] on this thread, of any flag, runs it
/// right after reading, once. The tests use it; your code does not need to.
pub fn after_next_load(probe: impl FnOnce() + 'static) {
    AFTER_LOAD.with(|slot| *slot.borrow_mut() = Some(Box::new(probe)));
}

/// Arms `probe`: the next [`Flag::store`] on this thread, of any flag, runs
/// it right before writing, once. The tests use it; your code does not need
/// to.
pub fn before_next_store(probe: impl FnOnce() + 'static) {
    BEFORE_STORE.with(|slot| *slot.borrow_mut() = Some(Box::new(probe)));
}
