//! Kata 01: why async?
//!
//! A [`Network`] (given, in `src/given.rs`) stands in for slow I/O: each
//! `fetch` waits for its URL's latency on tokio's clock. Write [`fetch_all`]
//! so that it fetches every URL *concurrently*: the whole batch should take as
//! long as the slowest fetch, not the sum of them all.
//!
//! Run the tests with `cargo test -p why-async`, or `cargo xtask watch`.

mod given;
pub use given::Network;

/// Fetches every URL concurrently and returns the bodies in the order of `urls`.
///
/// Three URLs of one second each must take one second in all, not three.
pub async fn fetch_all(network: &Network, urls: &[&str]) -> Vec<String> {
    // TODO: start a fetch for every URL, then wait for all of them together,
    // keeping the results in the order of `urls`.
    let _ = network;
    todo!("fetch the URLs concurrently ({} of them)", urls.len())
}
