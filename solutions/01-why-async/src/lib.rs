//! Kata 01, reference solution: why async?
//!
//! Waiting for I/O costs no CPU. While one request is in flight, the thread
//! could be sending the others; async code lets one thread keep many requests
//! in flight at once. Here [`fetch_all`] creates one future per URL and drives
//! them all together with `join_all`, so the batch costs one round trip (the
//! slowest) instead of one round trip per URL.

// The given code lives once, in the kata's crate: the solution uses the very
// same file, so the two cannot drift.
#[path = "../../../katas/01-why-async/src/given.rs"]
mod given;
pub use given::Network;

/// Fetches every URL concurrently and returns the bodies in the order of `urls`.
///
/// Three URLs of one second each must take one second in all, not three.
pub async fn fetch_all(network: &Network, urls: &[&str]) -> Vec<String> {
    // Calling `fetch` only *builds* a future; nothing is sent yet. Collecting
    // one future per URL and handing them all to `join_all` makes one future
    // that polls every fetch whenever it is woken, so all requests are in
    // flight together. `join_all` returns the outputs in the order of its
    // input, whatever order the fetches finish in.
    //
    // No `tokio::spawn` is needed: the fetches borrow `network`, and they all
    // run inside this one task, taking turns at their `.await` points. Spawning
    // would add parallelism across threads, which waiting on I/O does not need.
    futures::future::join_all(urls.iter().map(|url| network.fetch(url))).await
}
