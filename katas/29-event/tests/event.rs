//! Kata 29 tests: an event that releases every waiter and loses no wake-up.
//!
//! Several tests drive `wait` by hand with `tokio_test::task::spawn`: poll it
//! once (it registers and sleeps), call `set` or move the paused clock, then
//! ask whether it was woken and whether it is ready now. Two tests use the
//! given probes to make `set` and `wait` meet where a wake-up gets lost: a
//! `set` in the instant between `wait` reading the flag and `wait` going to
//! sleep, and a `wait` that begins in the middle of `set`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use event::{Event, after_next_load, before_next_store};
use tokio::task::JoinHandle;
use tokio::time::{advance, timeout};
use tokio_test::task;
use tokio_test::{assert_pending, assert_ready};

/// An hour of virtual time: "a long time" for a waiter that should not wake.
const AN_HOUR: Duration = Duration::from_secs(3600);

/// Awaits a task and re-raises its panic, so that a failed assertion inside a
/// spawned task fails the test.
async fn join<T>(handle: JoinHandle<T>) -> T {
    match handle.await {
        Ok(value) => value,
        Err(err) => std::panic::resume_unwind(err.into_panic()),
    }
}

/// `n` tasks waiting for `event`: each polled once, each still pending.
fn waiting(event: &Event, n: usize) -> Vec<task::Spawn<impl Future<Output = ()> + '_>> {
    let mut waiters: Vec<_> = (0..n).map(|_| task::spawn(event.wait())).collect();
    for waiter in &mut waiters {
        assert_pending!(waiter.poll(), "wait returned although nobody called set");
    }
    waiters
}

/// A new event is not set, and a task waiting for it keeps waiting.
#[tokio::test(start_paused = true)]
async fn a_new_event_is_not_set() {
    let event = Event::new();

    assert!(!event.is_set(), "a new event must not be set");
    let mut waiter = task::spawn(event.wait());
    assert_pending!(waiter.poll(), "wait returned although nobody called set");
    advance(AN_HOUR).await;
    assert_pending!(waiter.poll(), "wait returned although nobody called set");
}

/// Once set, the event stays set: every wait returns at the first poll.
#[tokio::test(start_paused = true)]
async fn wait_after_set_returns_at_once() {
    let event = Event::new();
    event.set();
    assert!(event.is_set(), "is_set is false right after set");

    let mut first = task::spawn(event.wait());
    assert_ready!(first.poll(), "the event is set: wait must return at once");
    let mut second = task::spawn(event.wait());
    assert_ready!(
        second.poll(),
        "a wait does not use the event up: a second wait must return at once too"
    );
    assert!(event.is_set(), "waiting must not clear the event");
}

/// One `set` releases every task waiting, all of them at that instant.
#[tokio::test(start_paused = true)]
async fn set_releases_every_waiter() {
    let event = Event::new();
    let mut waiters = waiting(&event, 100);

    event.set();

    for (i, waiter) in waiters.iter_mut().enumerate() {
        assert!(
            waiter.is_woken(),
            "set did not wake waiter {i}: set must wake every waiter, not one"
        );
        assert_ready!(waiter.poll(), "waiter {i} was woken but not released");
    }
}

/// A waiter sleeps until `set`: an hour of nothing does not wake it, and
/// `set` does.
#[tokio::test(start_paused = true)]
async fn a_waiter_sleeps_until_set() {
    let event = Event::new();
    let mut waiter = task::spawn(event.wait());
    assert_pending!(waiter.poll());

    advance(AN_HOUR).await;
    assert!(
        !waiter.is_woken(),
        "the waiter woke up although nobody called set: it polls instead of sleeping"
    );
    assert_pending!(waiter.poll());

    event.set();
    assert!(waiter.is_woken(), "set did not wake the waiter");
    assert_ready!(waiter.poll());
}

/// `clear` resets the event: a `set` that nobody waited for leaves nothing
/// behind, and the next wait waits for the next `set`.
#[tokio::test(start_paused = true)]
async fn clear_makes_wait_wait_again() {
    let event = Event::new();
    event.set();
    event.clear();
    assert!(!event.is_set(), "is_set is true right after clear");

    let mut waiter = task::spawn(event.wait());
    assert_pending!(
        waiter.poll(),
        "wait returned although the event was cleared: did set leave a stored permit?"
    );
    advance(AN_HOUR).await;
    assert_pending!(waiter.poll(), "a cleared event released a waiter");

    event.set();
    assert!(waiter.is_woken(), "set after clear did not wake the waiter");
    assert_ready!(waiter.poll());
}

/// A task waiting when `set` is called is released even if `clear` comes
/// right after, before the task runs again (as in Python).
#[tokio::test(start_paused = true)]
async fn set_then_clear_still_releases_the_waiters() {
    let event = Event::new();
    let mut waiters = waiting(&event, 3);

    event.set();
    event.clear();

    for waiter in &mut waiters {
        assert!(waiter.is_woken(), "set did not wake a waiter");
        assert_ready!(
            waiter.poll(),
            "the waiter was waiting when set was called: a clear right after must not \
             send it back to sleep (it looked at the flag again instead of trusting the wake-up)"
        );
    }
    assert!(!event.is_set());
}

/// The lost wake-up, made to happen: `set` runs in the instant after `wait`
/// has read the flag (not set) and before it sleeps. `wait` must still
/// return.
#[tokio::test(start_paused = true)]
async fn a_set_between_the_check_and_the_wait_is_not_lost() {
    let event = Arc::new(Event::new());
    let probed = Rc::new(Cell::new(false));
    {
        let event = Arc::clone(&event);
        let probed = Rc::clone(&probed);
        after_next_load(move || {
            probed.set(true);
            event.set();
        });
    }

    let mut waiter = task::spawn(event.wait());
    let released = waiter.poll().is_ready() || (waiter.is_woken() && waiter.poll().is_ready());

    assert!(
        probed.get(),
        "wait never read the event's Flag: keep the state in it and read it with Flag::load"
    );
    assert!(
        released,
        "lost wake-up: set came right after wait read the flag, and wait slept through it \
         (register with the Notify before you read the flag)"
    );
}

/// The same race from the other side: a `wait` that starts in the middle of
/// `set`, right before `set` writes the flag, must be released by that `set`.
#[tokio::test(start_paused = true)]
async fn a_wait_that_starts_during_set_is_not_lost() {
    let event = Arc::new(Event::new());
    let waiter = Rc::new(RefCell::new(task::spawn({
        let event = Arc::clone(&event);
        async move { event.wait().await }
    })));
    // `None` until the probe has run; then whether that first poll was ready.
    let first_poll = Rc::new(Cell::new(None));
    {
        let (waiter, first_poll) = (Rc::clone(&waiter), Rc::clone(&first_poll));
        before_next_store(move || {
            let ready = waiter.borrow_mut().poll().is_ready();
            first_poll.set(Some(ready));
        });
    }

    event.set();

    let Some(ready_at_once) = first_poll.get() else {
        panic!(
            "set never wrote the event's Flag: keep the state in it and write it with Flag::store"
        );
    };
    let mut waiter = waiter.borrow_mut();
    let released = ready_at_once || (waiter.is_woken() && waiter.poll().is_ready());
    assert!(
        released,
        "lost wake-up: a wait began just before set raised the flag, and set did not wake it \
         (raise the flag first, then wake the waiters)"
    );
}

/// Setting a set event, or clearing a clear one, changes nothing.
#[tokio::test(start_paused = true)]
async fn setting_twice_and_clearing_twice_is_harmless() {
    let event = Event::new();
    event.clear();
    assert!(!event.is_set());

    let mut waiter = task::spawn(event.wait());
    assert_pending!(waiter.poll());
    event.set();
    event.set();
    assert!(event.is_set());
    assert_ready!(waiter.poll());

    event.clear();
    event.clear();
    assert!(!event.is_set());
    let mut later = task::spawn(event.wait());
    assert_pending!(later.poll(), "two sets must not leave a release behind");
}

/// A waiter that gives up (its future is dropped while it sleeps) does not
/// stop `set` from releasing the others.
#[tokio::test(start_paused = true)]
async fn a_dropped_waiter_does_not_hold_up_the_others() {
    let event = Event::new();
    let mut first = task::spawn(event.wait());
    let mut dropped = task::spawn(event.wait());
    let mut last = task::spawn(event.wait());
    assert_pending!(first.poll());
    assert_pending!(dropped.poll());
    assert_pending!(last.poll());

    drop(dropped);
    event.set();

    assert_ready!(
        first.poll(),
        "a dropped waiter stopped set from releasing the others"
    );
    assert_ready!(
        last.poll(),
        "a dropped waiter stopped set from releasing the others"
    );
}

/// On a multi-thread runtime, waiters and a setter start together, round
/// after round: every waiter is released, whoever runs first.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn waiters_on_many_threads_are_all_released() {
    for round in 0..200 {
        let event = Arc::new(Event::new());
        // Ten parties: eight waiters, the setter, and this test, so that all
        // of them are running before any of them goes on.
        let barrier = Arc::new(tokio::sync::Barrier::new(10));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (event, barrier) = (Arc::clone(&event), Arc::clone(&barrier));
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                event.wait().await;
            }));
        }
        let (setter, gate) = (Arc::clone(&event), Arc::clone(&barrier));
        tasks.push(tokio::spawn(async move {
            gate.wait().await;
            setter.set();
        }));
        barrier.wait().await;

        for handle in tasks {
            // Real time on this runtime: only a wrong answer waits this long.
            timeout(Duration::from_secs(5), join(handle))
                .await
                .unwrap_or_else(|_| panic!("round {round}: a waiter was never released"));
        }
        assert!(event.is_set());
    }
}
