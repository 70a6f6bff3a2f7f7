//! The given part of kata 38: [`BlockOnError`], why a future could not be
//! run to completion from synchronous code. You do not need to change this
//! file; the tests and the reference solution use it as it is.

use std::fmt;

/// Why [`block_on`](crate::block_on) could not run the future.
#[derive(Debug)]
pub enum BlockOnError {
    /// Called where a current-thread runtime is running. Its one thread is
    /// the thread that would wait, so nothing else could drive the future,
    /// or the tasks it waits for: blocking would freeze the runtime for
    /// good.
    CurrentThreadRuntime,
    /// No runtime was running, and building one for the call failed.
    Build(std::io::Error),
}

impl fmt::Display for BlockOnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CurrentThreadRuntime => f.write_str(
                "cannot block on a future inside a current-thread runtime: its only \
                 thread would wait for work that only it can do; make the caller async \
                 and `.await` the future, or run this code on a multi-thread runtime",
            ),
            Self::Build(error) => write!(f, "could not build a runtime for the call: {error}"),
        }
    }
}

impl std::error::Error for BlockOnError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::CurrentThreadRuntime => None,
            Self::Build(error) => Some(error),
        }
    }
}
