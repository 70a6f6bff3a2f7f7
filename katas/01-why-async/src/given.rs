//! The given part of kata 01: a simulated [`Network`]. You do not need to
//! change this file; the tests and the reference solution use it as it is.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A simulated network in which each URL answers after its own latency.
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
