//! Kata 39: run child processes from async code.
//!
//! Write [`run_all`]: start every [`Job`]'s program as a real child process,
//! all at once; collect what each writes to stdout and stderr, and its exit
//! status; kill (and wait for) each child that outlives its own time limit;
//! and leave no child running behind, even when the caller gives up on
//! `run_all` itself. [`Job`] and [`Outcome`] are given, in `src/given.rs`.
//!
//! The tests run a small program of this kata's own, `child/main.rs` (given,
//! not to be changed), whose arguments tell it what to do: print, fail, flood
//! its pipes, wait for its siblings, or hang while holding a file lock.
//!
//! Run the tests with `cargo test -p subprocesses`, or `cargo xtask watch`.

mod given;
pub use given::{Job, Outcome};

/// Runs every job as a child process, all at the same time, and returns
/// their outcomes in the order of `jobs`.
///
/// * Each child gets an empty stdin; its stdout and stderr are captured
///   whole, however much it writes (both pipes are read while it runs).
/// * A child still running at its job's limit (measured from its start) is
///   killed, then waited for, and reported as [`Outcome::Killed`]; the other
///   children are not affected.
/// * A child that cannot be started is reported as [`Outcome::Failed`]; the
///   others run.
/// * If the future returned by `run_all` is dropped before it finishes,
///   every child still running is killed.
pub async fn run_all(jobs: &[Job]) -> Vec<Outcome> {
    // TODO: for each job, build a `tokio::process::Command` (stdin null,
    // stdout and stderr piped, killed when dropped), spawn it, and collect
    // its output and status under the job's limit. Run the jobs together.
    todo!(
        "start every job as a child process ({} of them)",
        jobs.len()
    )
}
