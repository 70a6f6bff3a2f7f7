//! Kata 12, reference solution: spawn first, await later.
//!
//! `tokio::spawn` starts a task at once; awaiting its `JoinHandle` only waits
//! for it. So the order matters: spawn *every* part first, then wait for them
//! together, and the profile costs the slowest part (0.5 s). Awaiting each
//! handle right after its spawn waits for one part before the next has even
//! started, and the profile costs the sum (1.2 s): the tasks bought nothing.
//!
//! Spawning also gives two things a plain `join!` of futures does not:
//!
//! * a panic inside a task is caught by the runtime and handed back as a
//!   `JoinError`, so one broken part becomes an error value, not a crash;
//! * but a `JoinHandle` does not own its task: dropping it *detaches* the task,
//!   which keeps running. [`fetch_profile`] therefore wraps each handle in
//!   tokio-util's `AbortOnDropHandle`, which aborts the task when dropped, so
//!   that a failed or cancelled fetch leaves no part running behind it.

use std::sync::Arc;

use tokio_util::task::AbortOnDropHandle;

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/12-spawn-then-await/src/given.rs"]
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
    // Spawn all three before awaiting any: each `spawn` starts its task at
    // once, so the three requests are in flight together. Each task gets its
    // own `Arc` clone because a spawned task must own what it uses (it may
    // outlive this function's borrow of `api`).
    //
    // Each handle goes straight into an `AbortOnDropHandle` (tokio-util): a
    // `JoinHandle` that aborts its task when dropped. A bare `JoinHandle`
    // only observes its task; dropping it would detach the part, which would
    // run on with nobody waiting for it.
    let user = AbortOnDropHandle::new(tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.user(id).await }
    }));
    let posts = AbortOnDropHandle::new(tokio::spawn({
        let api = Arc::clone(&api);
        async move { api.posts(id).await }
    }));
    let comments = AbortOnDropHandle::new(tokio::spawn(async move { api.comments(id).await }));

    // Now wait for the three together. `try_join!` returns the first error as
    // soon as it happens, and drops the other two `join` futures as it does:
    // the guards they own are dropped with them, which aborts the parts still
    // running. It is the same when *this* future is dropped (a caller's
    // timeout): the guards go with it, wherever it was suspended.
    let (user, posts, comments) = tokio::try_join!(
        join(user, Part::User),
        join(posts, Part::Posts),
        join(comments, Part::Comments),
    )?;
    Ok(Profile {
        user,
        posts,
        comments,
    })
}

/// Waits for one part's task; turns its panic (or cancellation) into [`PartFailed`].
///
/// Takes the guard by value, so that it lives exactly as long as this future:
/// dropping the future (as `try_join!` does after another part failed) aborts
/// the task.
async fn join<T>(task: AbortOnDropHandle<T>, part: Part) -> Result<T, PartFailed> {
    // `AbortOnDropHandle` is a future, like the `JoinHandle` inside it: it
    // gives `Result<T, JoinError>`, and the `Err` is a panic or an abort.
    task.await.map_err(|error| PartFailed {
        part,
        reason: failure_reason(error),
    })
}
