//! One file per command, each with one `run` function.

pub mod check;
pub mod classroom;
pub mod hint;
pub mod list;
pub mod next;
pub mod progress;
pub mod python;
pub mod report;
pub mod reset;
pub mod solution;
pub mod verify;
pub mod watch;
