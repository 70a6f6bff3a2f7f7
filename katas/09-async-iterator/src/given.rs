//! The given part of kata 09: the slow [`Sensor`] the streams read from. It
//! counts the readings it produced, which is how the tests see whether a
//! stream is lazy. You do not need to change this file; the tests and the
//! reference solution use it as it is.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A slow sensor: each reading costs a wait, and the sensor counts how many
/// readings it has produced.
#[derive(Debug, Clone, Default)]
pub struct Sensor {
    /// Shared by every clone, so a test can keep one and watch.
    produced: Arc<AtomicUsize>,
}

impl Sensor {
    /// A sensor that has produced nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes reading number `n` (counting from 1). Its value is `n * 10`.
    pub fn read(&self, n: u64) -> u64 {
        self.produced.fetch_add(1, Ordering::SeqCst);
        n * 10
    }

    /// How many readings this sensor (or any clone of it) has produced.
    pub fn produced(&self) -> usize {
        self.produced.load(Ordering::SeqCst)
    }
}
