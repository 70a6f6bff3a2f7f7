//! The given part of kata 07: the [`Abandoned`] error a promise resolves to
//! when its setter is dropped without a result. You do not need to change this
//! file; the tests and the reference solution use it as it is.

use std::fmt;

/// The promise failed: its [`Setter`](crate::Setter) was dropped without
/// setting a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abandoned;

impl fmt::Display for Abandoned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the setter was dropped without setting a result")
    }
}

impl std::error::Error for Abandoned {}
