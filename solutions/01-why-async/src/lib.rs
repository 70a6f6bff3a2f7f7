//! Kata 01, reference solution: why async?
//!
//! Waiting for I/O costs no CPU. While one request is in flight, the thread
//! could be sending the others; async code lets one thread keep many requests
//! in flight at once. Here [`fetch_all`] creates one future per URL and drives
//! them all together with `join_all`, so the batch costs one round trip (the
//! slowest) instead of one round trip per URL.

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
