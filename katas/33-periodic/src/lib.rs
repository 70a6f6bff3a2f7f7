//! Kata 33: a periodic job that does not drift.
//!
//! Write [`run_every`]: run a job every `period`, on a schedule fixed in
//! advance (0, 1, 2, 3 s…) that a 300 ms run does not push back, with the
//! caller's choice of what happens to ticks missed by a run that took longer
//! than a period, until a `CancellationToken` says stop. The simulated
//! [`Job`] is given, in `src/given.rs`.
//!
//! Run the tests with `cargo test -p periodic`, or `cargo xtask watch`.

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
    // TODO: a schedule of instants `period` apart (tokio has one), with
    // `missed` as its policy; loop: wait for the next instant or for `stop`
    // (whichever comes first; a stop wins a tie), then run the job to the end.
    let _ = (stop, &mut job);
    todo!("run the job every {period:?}, {missed:?} for missed ticks")
}
