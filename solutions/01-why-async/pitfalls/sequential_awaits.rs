//! Pitfall: awaiting each fetch before starting the next.
//!
//! The code reads like the synchronous version, and that is the problem: each
//! `.await` waits for one response before the next request is even built, so
//! three one-second fetches take three seconds.
//!
//! Caught by: three_one_second_fetches_take_one_second, every_request_starts_at_once_and_only_once

#[path = "../src/lib.rs"]
mod given;
pub use given::Network;

pub async fn fetch_all(network: &Network, urls: &[&str]) -> Vec<String> {
    let mut bodies = Vec::with_capacity(urls.len());
    for url in urls {
        bodies.push(network.fetch(url).await);
    }
    bodies
}
