//! Kata 31: a long CPU loop that lets the other tasks run.
//!
//! Write [`run_job`]: a loop of CPU-bound units of work ([`crunch`], given in
//! `src/given.rs`) that gives the thread back to the runtime every few units,
//! so that the other tasks on the same thread keep making progress. Every unit
//! is written down in the given [`Log`], which is how the tests see who ran
//! when.
//!
//! Run the tests with `cargo test -p cooperative-yield`, or
//! `cargo xtask watch`.

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
    // TODO: for each unit: crunch it, add it to the total, `log.done(job,
    // unit)`; after every `yield_every` units (but not after the last one),
    // give the thread back to the runtime.
    let _ = (job, log);
    todo!("{units} units, letting the others run every {yield_every}")
}
