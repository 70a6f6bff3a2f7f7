//! Kata 31, reference solution: a long CPU loop that lets the others run.
//!
//! tokio's scheduling is cooperative, like asyncio's: a task runs until it
//! returns `Pending` at an `.await`, and nothing can take the thread away from
//! it before that. A loop of pure computation has no such point, so on a
//! current-thread runtime it starves every other task until it ends, and on a
//! multi-thread runtime it starves every task queued behind it on its worker.
//!
//! `tokio::task::yield_now()` is the `await asyncio.sleep(0)` of tokio: it
//! returns `Pending` once, after asking to be woken again at once, so every
//! other task that is ready gets a turn before this one continues. Each yield
//! is also the place where the job can be cancelled: a loop without one
//! cannot even be aborted until it ends.
//!
//! What does *not* yield, although it is an `.await`: awaiting a future that
//! is ready at once (`std::future::ready`, an `async` block with no `.await`
//! inside, a channel that has a message). tokio's cooperative budget makes its
//! own resources (channels, sockets, timers) return `Pending` after about 128
//! operations in a row, but it cannot touch a loop that uses none of them.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/31-cooperative-yield/src/given.rs"]
mod given;
pub use given::{Log, crunch};

/// Does the units `0..units` of a CPU-bound job (`crunch(unit)` each, in
/// order), writes each one down in `log` under the name `job`, and returns
/// the sum of their results (wrapping on overflow).
///
/// After every `yield_every` units it lets the other tasks on its thread run
/// (after units `yield_every`, `2 × yield_every`, …), but not after the last
/// unit: returning gives the thread back anyway.
///
/// # Panics
/// If `yield_every` is 0, with a message that names `yield_every`.
pub async fn run_job(job: &str, units: u64, yield_every: u64, log: &Log) -> u64 {
    assert!(yield_every > 0, "yield_every must be at least 1");
    let mut total: u64 = 0;
    for unit in 0..units {
        // The work itself: no `.await` in here, so nobody else runs on this
        // thread meanwhile. Keep the batches between yields short.
        total = total.wrapping_add(crunch(unit));
        log.done(job, unit);

        let done = unit + 1;
        if done % yield_every == 0 && done < units {
            // Give the thread back: every other ready task runs once before
            // this one is polled again. This is also where the job can be
            // cancelled (dropped) between batches.
            tokio::task::yield_now().await;
        }
    }
    total
}
