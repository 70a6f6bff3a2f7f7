//! Kata 33, reference solution: a periodic job that does not drift.
//!
//! "Run this every second" is usually written as "run it, then sleep a
//! second". That is a period of one second *plus the run*: with a 300 ms run
//! the job starts at 0, 1.3, 2.6 s, and after an hour it is 18 minutes
//! behind. The schedule must be a list of instants fixed in advance (0, 1, 2,
//! 3 s…), each run starting at the next one, however long the last run took.
//!
//! `tokio::time::interval` is that schedule: its first tick completes at once,
//! and each later tick at the next instant of the list. When a run takes
//! longer than a period, ticks are missed, and `MissedTickBehavior` decides
//! what happens next, which is the caller's choice here:
//!
//! * `Burst` (tokio's default): fire the missed ticks at once, one after
//!   another, until the schedule is caught up, then keep the old instants;
//! * `Delay`: one tick at once, then a new schedule counted from it;
//! * `Skip`: one tick at once, then the next instant of the old schedule.
//!
//! The waiting is on tokio's timer, so the thread is free for other tasks
//! meanwhile (a `std::thread::sleep` would block them all, and would not even
//! move tokio's paused clock in the tests).

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/33-periodic/src/given.rs"]
mod given;
pub use given::Job;

use std::future::Future;
use std::time::Duration;

use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

/// Runs `job` every `period`: the first run at once, then one run at each
/// instant `period` apart, however long each run takes. Runs never overlap:
/// when a run takes longer than a period, `missed` says what the next ticks
/// do.
///
/// Returns when `stop` is cancelled: at once while it waits for the next
/// tick, or as soon as the run in progress ends (a run is never cut short).
///
/// # Panics
/// If `period` is zero.
pub async fn run_every<F, Fut>(
    period: Duration,
    missed: MissedTickBehavior,
    stop: &CancellationToken,
    mut job: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    // The schedule: instants fixed from now on, `period` apart. `interval`
    // panics on a zero period, with a message that says so.
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(missed);

    loop {
        tokio::select! {
            // `biased`: look at `stop` first. After a run that overran, the
            // next tick is due at once; a stop that came during that run must
            // still win, not start one more run.
            biased;
            // Stopping while waiting: the pending tick is dropped, no run
            // starts.
            () = stop.cancelled() => return,
            // The next instant of the schedule has come (or, after an
            // overrun, what `missed` says).
            _ = ticks.tick() => {}
        }
        // Outside the `select!`: a stop during the run does not cut it short.
        // The runs never overlap, because the next tick is only awaited once
        // this run is over.
        job().await;
    }
}
