//! Kata 01: why async?
//!
//! A [`Network`] stands in for slow I/O: each `fetch` waits for its URL's
//! latency on tokio's clock. Write [`fetch_all`] so that it fetches every URL
//! *concurrently*: the whole batch should take as long as the slowest fetch,
//! not the sum of them all.
//!
//! Run the tests with `cargo test -p why-async`, or `cargo xtask watch`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A simulated network in which each URL answers after its own latency.
///
/// This part is given: you do not need to change it.
#[derive(Debug, Default)]
pub struct Network {
    latencies: HashMap<String, Duration>,
    /// Every request made, with the (tokio) time at which it started.
    requests: Mutex<Vec<(String, Instant)>>,
}

impl Network {
    /// A network that knows the given URLs and their latencies.
    pub fn new<'a>(latencies: impl IntoIterator<Item = (&'a str, Duration)>) -> Self {
        let latencies = latencies
            .into_iter()
            .map(|(url, latency)| (url.to_owned(), latency))
            .collect();
        Self {
            latencies,
            requests: Mutex::default(),
        }
    }

    /// Fetches one URL: waits for its latency, then returns its body.
    ///
    /// # Panics
    /// If the URL is unknown to this network.
    pub async fn fetch(&self, url: &str) -> String {
        let Some(&latency) = self.latencies.get(url) else {
            panic!("the simulated network knows no URL {url:?}");
        };
        // A std Mutex is right here: the guard is a temporary that lives for this
        // one statement, so it is never held across an `.await`.
        self.requests
            .lock()
            .expect("no request panics while logging")
            .push((url.to_owned(), Instant::now()));
        tokio::time::sleep(latency).await;
        format!("<body of {url}>")
    }

    /// The requests made so far, in the order they started, with their start times.
    pub fn requests(&self) -> Vec<(String, Instant)> {
        self.requests
            .lock()
            .expect("no request panics while logging")
            .clone()
    }
}

/// Fetches every URL concurrently and returns the bodies in the order of `urls`.
///
/// Three URLs of one second each must take one second in all, not three.
pub async fn fetch_all(network: &Network, urls: &[&str]) -> Vec<String> {
    // TODO: start a fetch for every URL, then wait for all of them together,
    // keeping the results in the order of `urls`.
    let _ = network;
    todo!("fetch {} URLs concurrently", urls.len())
}
