//! The given part of kata 37: [`SubmitError`], the ways a submission can end
//! without an answer. You do not need to change this file; the tests and the
//! reference solution use it as it is.

use std::fmt;

/// Why a future submitted from a plain thread gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitError {
    /// The runtime was shut down: before the submission (the future never
    /// ran), or while the future was running (it was dropped unfinished).
    RuntimeGone,
    /// The time limit passed first; the future was cancelled.
    TimedOut,
    /// The future panicked. The runtime lives on; the panic was reported
    /// where the task ran.
    Panicked,
}

impl fmt::Display for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::RuntimeGone => "the runtime has been shut down",
            Self::TimedOut => "no answer within the time limit; the future was cancelled",
            Self::Panicked => "the future panicked",
        })
    }
}

impl std::error::Error for SubmitError {}
