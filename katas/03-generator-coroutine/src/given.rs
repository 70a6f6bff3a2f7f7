//! The given part of kata 03: the calculator's [`History`] and its
//! [`CalcError`]. You do not need to change this file; the tests and the
//! reference solution use it as it is.

use std::fmt;

/// What the calculator remembers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Every sum computed, oldest first.
    pub results: Vec<i64>,
    /// Every error injected with [`Calculator::throw`](crate::Calculator::throw)
    /// and handled, oldest first.
    pub errors: Vec<String>,
}

/// Why a call to the calculator failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalcError {
    /// `a + b` does not fit in an `i64`. Nothing was recorded, and the
    /// calculator carries on.
    Overflow {
        /// The first operand.
        a: i64,
        /// The second operand.
        b: i64,
    },
    /// The calculator has been closed: it answers no more calls.
    Closed,
}

impl fmt::Display for CalcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalcError::Overflow { a, b } => write!(f, "{a} + {b} does not fit in an i64"),
            CalcError::Closed => write!(f, "the calculator is closed"),
        }
    }
}

impl std::error::Error for CalcError {}
