//! Kata 12: spawn first, await later.
//!
//! A profile page needs three parts from three services: the user (0.5 s),
//! their posts (0.3 s) and the comments (0.4 s). Write [`fetch_profile`] so
//! that the three run as concurrent tasks: 0.5 s in all, not 1.2 s. A part
//! that panics must become an error naming it, and no part may keep running
//! once the fetch has failed or been cancelled.
//!
//! [`Part`], [`Api`], [`Profile`], [`PartFailed`] and [`failure_reason`] are
//! given, in `src/given.rs`: this file holds only what you write.
//!
//! Run the tests with `cargo test -p spawn-then-await`, or `cargo xtask watch`.

use std::sync::Arc;

mod given;
pub use given::{Api, Part, PartFailed, Profile, failure_reason};

/// Fetches the user, posts and comments of user `id` concurrently, each in
/// its own task.
///
/// Takes as long as the slowest part (0.5 s), not the sum (1.2 s). If a part
/// panics, returns at once with an error naming it, and stops the other parts.
/// If this future is dropped before it finishes, every part is stopped too.
///
/// # Errors
/// [`PartFailed`] naming the first part whose task panicked.
pub async fn fetch_profile(api: Arc<Api>, id: u64) -> Result<Profile, PartFailed> {
    // TODO: spawn one task per part (each with its own `Arc` clone) before
    // awaiting any of them; then wait for the three together, turning a
    // `JoinError` into `PartFailed` (see `failure_reason`) and returning at the
    // first failure. Remember that dropping a `JoinHandle` does not stop its
    // task: make sure no part outlives this function, however it ends
    // (`tokio_util::task::AbortOnDropHandle` is available).
    todo!("fetch the profile of user {id} from {api:?}")
}
