//! Kata 01 tests: concurrent fetches, measured on tokio's paused clock.
//!
//! With `start_paused = true` the clock only moves when every task is waiting,
//! and then jumps straight to the next timer. Simulated seconds cost no real
//! time, and elapsed time is exact: concurrency is measurable.

use std::future::Future;
use std::time::Duration;

use tokio::time::{Instant, timeout};
use why_async::{Network, fetch_all};

/// Long enough for any right answer (the longest fetch here takes an hour);
/// a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(24 * 3600);

const HOUR: Duration = Duration::from_secs(3600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

async fn fetch_all_within_limit(network: &Network, urls: &[&str]) -> Vec<String> {
    timeout(LIMIT, fetch_all(network, urls))
        .await
        .expect("fetch_all never finished")
}

/// Three one-second fetches overlap: one second in all, not three.
#[tokio::test(start_paused = true)]
async fn three_one_second_fetches_take_one_second() {
    let network = Network::new([("a", ms(1000)), ("b", ms(1000)), ("c", ms(1000))]);
    let start = Instant::now();

    let bodies = fetch_all_within_limit(&network, &["a", "b", "c"]).await;

    assert_eq!(
        start.elapsed(),
        ms(1000),
        "the fetches ran one after another instead of together"
    );
    assert_eq!(bodies, ["<body of a>", "<body of b>", "<body of c>"]);
}

/// Results come back in the order asked for, not the order the fetches finished.
#[tokio::test(start_paused = true)]
async fn bodies_keep_the_order_of_the_urls() {
    let network = Network::new([("slow", ms(300)), ("fast", ms(100)), ("mid", ms(200))]);

    let bodies = fetch_all_within_limit(&network, &["slow", "fast", "mid"]).await;

    assert_eq!(
        bodies,
        ["<body of slow>", "<body of fast>", "<body of mid>"],
        "the bodies must follow the order of the URLs, not the order the fetches finished"
    );
}

/// The batch takes as long as its slowest fetch.
#[tokio::test(start_paused = true)]
async fn the_batch_takes_as_long_as_the_slowest_fetch() {
    let network = Network::new([("slow", ms(300)), ("fast", ms(100)), ("mid", ms(200))]);
    let start = Instant::now();

    fetch_all_within_limit(&network, &["slow", "fast", "mid"]).await;

    assert_eq!(
        start.elapsed(),
        ms(300),
        "three fetches of 300, 100 and 200 ms should take 300 ms together"
    );
}

/// Every request is sent once, and all of them at the very start.
#[tokio::test(start_paused = true)]
async fn every_request_starts_at_once_and_only_once() {
    let network = Network::new([("a", ms(500)), ("b", ms(700))]);
    let start = Instant::now();

    fetch_all_within_limit(&network, &["a", "b"]).await;

    let mut requests = network.requests();
    requests.sort_by(|x, y| x.0.cmp(&y.0));
    let urls: Vec<&str> = requests.iter().map(|(url, _)| url.as_str()).collect();
    assert_eq!(urls, ["a", "b"], "each URL must be fetched exactly once");
    for (url, started) in &requests {
        assert_eq!(
            *started - start,
            Duration::ZERO,
            "the request for {url:?} waited for another one to finish first"
        );
    }
}

/// Concurrency scales: five thousand one-second fetches still take one second.
#[tokio::test(start_paused = true)]
async fn five_thousand_fetches_take_one_round_trip() {
    let names: Vec<String> = (0..5_000).map(|i| format!("page{i}")).collect();
    let network = Network::new(names.iter().map(|name| (name.as_str(), ms(1000))));
    let urls: Vec<&str> = names.iter().map(String::as_str).collect();
    let start = Instant::now();

    let bodies = fetch_all_within_limit(&network, &urls).await;

    assert_eq!(
        start.elapsed(),
        ms(1000),
        "five thousand fetches did not all run at once: is the number in flight capped?"
    );
    assert_eq!(bodies.len(), 5_000, "some bodies are missing");
    assert_eq!(bodies[4_999], "<body of page4999>");
}

/// A URL listed twice is fetched twice, and both bodies come back in place.
#[tokio::test(start_paused = true)]
async fn a_url_listed_twice_is_fetched_twice() {
    let network = Network::new([("a", ms(200)), ("b", ms(100))]);
    let start = Instant::now();

    let bodies = fetch_all_within_limit(&network, &["a", "b", "a"]).await;

    assert_eq!(
        bodies,
        ["<body of a>", "<body of b>", "<body of a>"],
        "one body per entry of `urls`, in its place, repeats included"
    );
    let requests = network.requests();
    let for_a = requests.iter().filter(|(url, _)| url == "a").count();
    assert_eq!(
        for_a, 2,
        "\"a\" is listed twice, so it must be requested twice (a cache is another feature)"
    );
    assert!(
        requests.iter().all(|(_, started)| *started == start),
        "every request, repeats included, must start at once"
    );
}

/// A fetch that takes an hour is waited for, not cut short.
#[tokio::test(start_paused = true)]
async fn a_fetch_of_an_hour_is_waited_for() {
    let network = Network::new([("quick", ms(10)), ("glacial", HOUR)]);
    let start = Instant::now();

    let bodies = fetch_all_within_limit(&network, &["quick", "glacial"]).await;

    assert_eq!(
        bodies,
        ["<body of quick>", "<body of glacial>"],
        "a slow page came back wrong: was it given up on?"
    );
    assert_eq!(
        start.elapsed(),
        HOUR,
        "the batch must last as long as its slowest fetch"
    );
}

/// Waiting is free: fetch_all is polled once to start and about once per
/// finished fetch, not over and over while the fetches wait (one second, one
/// minute and one hour here).
#[tokio::test(start_paused = true)]
async fn waiting_costs_no_polls() {
    /// One poll to start, one per finished fetch, and room to spare.
    const MAX_POLLS: usize = 10;
    let network = Network::new([("s", ms(1000)), ("m", ms(60_000)), ("h", HOUR)]);
    let mut fetching = std::pin::pin!(fetch_all(&network, &["s", "m", "h"]));
    let mut polls = 0;
    let counted = std::future::poll_fn(|cx| {
        polls += 1;
        assert!(
            polls <= MAX_POLLS,
            "fetch_all was polled more than {MAX_POLLS} times for three fetches: \
             it checks on them in a loop (a short sleep or yield_now) instead of \
             waiting to be woken"
        );
        fetching.as_mut().poll(cx)
    });

    let bodies = timeout(LIMIT, counted)
        .await
        .expect("fetch_all never finished");

    assert_eq!(bodies, ["<body of s>", "<body of m>", "<body of h>"]);
}

/// Nothing to fetch means nothing to wait for.
#[tokio::test(start_paused = true)]
async fn no_urls_means_no_waiting() {
    let network = Network::default();
    let start = Instant::now();

    let bodies = fetch_all_within_limit(&network, &[]).await;

    assert!(bodies.is_empty());
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "nothing was fetched, yet time passed"
    );
}
