//! The given part of kata 39: a [`Job`] (a program to run, with its time
//! limit) and the [`Outcome`] of running it. You do not need to change this
//! file; the tests and the reference solution use it as it is.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{ExitStatus, Output};
use std::time::Duration;

/// One child process to run: a program, its arguments, and how long it may
/// run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The program: a path, or a name looked up on the `PATH`.
    pub program: PathBuf,
    /// Its arguments (no shell is involved: they reach it as they are).
    pub args: Vec<OsString>,
    /// How long it may run, from its start, before it is killed.
    pub limit: Duration,
}

impl Job {
    /// A job that runs `program` with `args`, for at most `limit`.
    pub fn new<A: Into<OsString>>(
        program: impl Into<PathBuf>,
        args: impl IntoIterator<Item = A>,
        limit: Duration,
    ) -> Self {
        Self {
            program: program.into(),
            args: args.into_iter().map(Into::into).collect(),
            limit,
        }
    }
}

/// How running one [`Job`] ended.
#[derive(Debug)]
pub enum Outcome {
    /// The child exited within its limit: its exit status, and everything it
    /// wrote to stdout and stderr.
    Exited(Output),
    /// The child was still running at its limit: it was killed, then waited
    /// for (reaped), and this is the status it ended with.
    Killed(ExitStatus),
    /// The child could not be started (no such program, say), or reading
    /// from it failed.
    Failed(std::io::Error),
}
