//! Kata 39, reference solution: run child processes from async code.
//!
//! `tokio::process::Command` starts a child without blocking, and gives a
//! `Child` whose pipes are async readers and whose `wait` is a future. The
//! rest is three rules that `std::process` users learn the hard way:
//!
//! * **Read the pipes while you wait.** A pipe holds a few tens of KiB; a
//!   child that fills one blocks until someone reads it. Waiting for the
//!   exit first (or reading stdout to its end before stderr) waits for a
//!   child that waits for you. So the status and both pipes are awaited
//!   together, in one `try_join!`.
//! * **A time-out must kill, and then wait.** `timeout` drops the future
//!   that was waiting; the child itself runs on. Kill it, then `wait` for it,
//!   so that it is gone (and reaped) when `run_all` says so.
//! * **Dropping is not killing.** A `Child` dropped while it runs is left
//!   running, unless the `Command` said `kill_on_drop(true)`: then a caller
//!   that gives up on `run_all` takes the children down with it.
//!
//! The jobs run together in one task with `join_all`: each child runs in
//! its own process already, and the task only waits on pipes and exits.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/39-subprocesses/src/given.rs"]
mod given;
pub use given::{Job, Outcome};

use std::process::{Output, Stdio};

use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

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
    // `join_all` polls every job's future at its first poll, so every child
    // is started at once, and returns the outcomes in the order of `jobs`.
    // Dropping it drops every unfinished `run_one`, and with it each
    // running child, which `kill_on_drop` then kills.
    futures::future::join_all(jobs.iter().map(run_one)).await
}

/// Runs one job to its outcome.
async fn run_one(job: &Job) -> Outcome {
    let spawned = Command::new(&job.program)
        .args(&job.args)
        // Not the parent's stdin: a child that reads it would wait on a
        // terminal, or steal input meant for the parent.
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Without it, a child whose `Child` is dropped (because `run_all`
        // was dropped) runs on, an orphan.
        .kill_on_drop(true)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => return Outcome::Failed(error),
    };
    // The limit counts from here, the child's start: each job has its own.
    match tokio::time::timeout(job.limit, collect(&mut child)).await {
        Ok(Ok(output)) => Outcome::Exited(output),
        Ok(Err(error)) => Outcome::Failed(error),
        // The time is up. The `collect` future was dropped, which stopped
        // the waiting, not the child. `start_kill` sends the kill (an error
        // only if the child has exited meanwhile, which is just as good),
        // and `wait` returns once the child is gone and reaped.
        Err(_elapsed) => {
            let _ = child.start_kill();
            match child.wait().await {
                Ok(status) => Outcome::Killed(status),
                Err(error) => Outcome::Failed(error),
            }
        }
    }
}

/// Waits for the child to exit while reading both of its pipes to their end.
async fn collect(child: &mut Child) -> std::io::Result<Output> {
    // Both pipes were asked for (`Stdio::piped()`) and are taken only here,
    // once per child: the `expect`s cannot fail.
    let mut stdout_pipe = child.stdout.take().expect("stdout is piped");
    let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    // All three at once: reading only one pipe, or only waiting, can leave
    // the child blocked on the pipe nobody reads.
    let (status, _, _) = tokio::try_join!(
        child.wait(),
        stdout_pipe.read_to_end(&mut stdout),
        stderr_pipe.read_to_end(&mut stderr),
    )?;
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}
