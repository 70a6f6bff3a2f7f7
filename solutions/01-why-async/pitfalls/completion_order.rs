//! Pitfall: collecting the bodies in the order the fetches finish.
//!
//! `FuturesUnordered` yields each output as soon as it is ready. That is fast,
//! but the caller asked for the bodies in the order of the URLs.
//!
//! Caught by: bodies_keep_the_order_of_the_urls

#[path = "../src/lib.rs"]
mod given;
pub use given::Network;

use futures::StreamExt;
use futures::stream::FuturesUnordered;

pub async fn fetch_all(network: &Network, urls: &[&str]) -> Vec<String> {
    let in_flight: FuturesUnordered<_> = urls.iter().map(|url| network.fetch(url)).collect();
    in_flight.collect().await
}
