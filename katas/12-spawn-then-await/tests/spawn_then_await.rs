//! Kata 12 tests: a profile fetched by three concurrent tasks.
//!
//! The parts take 0.5 s (user), 0.3 s (posts) and 0.4 s (comments) of tokio
//! time. On the paused clock the whole fetch must take exactly 0.5 s; the
//! given `Api` logs when each request starts and how it ends, so the tests
//! can also see that every part started at once, and that no part is left
//! running after the fetch failed or was cancelled.

use std::sync::Arc;
use std::time::Duration;

use spawn_then_await::{Api, Part, PartFailed, Profile, fetch_profile};
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

async fn fetch_within_limit(api: &Arc<Api>, id: u64) -> Result<Profile, PartFailed> {
    timeout(LIMIT, fetch_profile(Arc::clone(api), id))
        .await
        .expect("fetch_profile never finished")
}

/// The events whose text starts with `prefix`, as (text, time since `start`).
fn events_starting_with(api: &Api, prefix: &str, start: Instant) -> Vec<(String, Duration)> {
    api.events()
        .into_iter()
        .filter(|(event, _)| event.starts_with(prefix))
        .map(|(event, at)| (event, at - start))
        .collect()
}

/// The event texts, sorted, so that tests do not depend on same-instant order.
fn sorted_events(api: &Api) -> Vec<String> {
    let mut events: Vec<String> = api.events().into_iter().map(|(event, _)| event).collect();
    events.sort();
    events
}

/// The fetch takes as long as its slowest part, 0.5 s, not the sum of 1.2 s.
#[tokio::test(start_paused = true)]
async fn profile_takes_as_long_as_the_slowest_part() {
    let api = Arc::new(Api::new());
    let start = Instant::now();

    fetch_within_limit(&api, 7)
        .await
        .expect("no part fails here");

    assert_eq!(
        start.elapsed(),
        ms(500),
        "the parts ran one after another (1.2 s is spawn-then-await in a row)"
    );
}

/// All three requests start at time zero: none waits for another.
#[tokio::test(start_paused = true)]
async fn every_part_starts_at_once() {
    let api = Arc::new(Api::new());
    let start = Instant::now();

    fetch_within_limit(&api, 7)
        .await
        .expect("no part fails here");

    let mut starts = events_starting_with(&api, "start", start);
    starts.sort();
    assert_eq!(
        starts,
        [
            ("start comments".to_owned(), Duration::ZERO),
            ("start posts".to_owned(), Duration::ZERO),
            ("start user".to_owned(), Duration::ZERO),
        ],
        "each part must be requested once, all at the start"
    );
}

/// The profile holds each part's own answer in its own field.
#[tokio::test(start_paused = true)]
async fn the_profile_holds_every_part() {
    let api = Arc::new(Api::new());

    let profile = fetch_within_limit(&api, 42)
        .await
        .expect("no part fails here");

    assert_eq!(
        profile,
        Profile {
            user: "user 42".to_owned(),
            posts: vec!["post 1 by 42".to_owned(), "post 2 by 42".to_owned()],
            comments: vec!["comment 1 for 42".to_owned()],
        },
        "the profile must hold the answers for the user asked for, each in its own field"
    );
}

/// A part that panics gives an error naming the part and the panic, not a crash.
#[tokio::test(start_paused = true)]
async fn a_panic_in_one_part_is_an_error_naming_it() {
    let api = Arc::new(Api::panicking_in(Part::Posts));

    // Run the fetch in its own task: if the panic escaped `fetch_profile`, it
    // would show up here as a `JoinError` instead of failing the test runner.
    let fetch = tokio::spawn(fetch_profile(Arc::clone(&api), 7));
    let joined = timeout(LIMIT, fetch)
        .await
        .expect("fetch_profile never finished");

    let result = joined.expect("the part's panic crashed fetch_profile instead of being an error");
    assert_eq!(
        result,
        Err(PartFailed {
            part: Part::Posts,
            reason: "the posts service crashed".to_owned(),
        }),
        "the error should name the failing part and carry its panic message"
    );
}

/// Whichever part panics, the error names that part, at the moment it fails;
/// the parts that were quicker have ended, the slower ones are cancelled.
#[tokio::test(start_paused = true)]
async fn the_error_names_whichever_part_failed() {
    for failing in [Part::User, Part::Posts, Part::Comments] {
        let api = Arc::new(Api::panicking_in(failing));
        let start = Instant::now();

        let fetch = tokio::spawn(fetch_profile(Arc::clone(&api), 7));
        let joined = timeout(LIMIT, fetch)
            .await
            .expect("fetch_profile never finished");
        let failed_at = start.elapsed();
        sleep(ms(1000)).await;

        let result =
            joined.expect("the part's panic crashed fetch_profile instead of being an error");
        assert_eq!(
            result,
            Err(PartFailed {
                part: failing,
                reason: format!("the {failing} service crashed"),
            }),
            "the error should name the part that failed ({failing})"
        );
        assert_eq!(
            failed_at,
            failing.latency(),
            "the fetch should fail as soon as {failing} fails"
        );
        for other in [Part::User, Part::Posts, Part::Comments] {
            let ending = if other == failing {
                format!("panic {other}")
            } else if other.latency() < failing.latency() {
                format!("end {other}")
            } else {
                format!("cancel {other}")
            };
            assert!(
                sorted_events(&api).contains(&ending),
                "when {failing} fails, expected \"{ending}\", got {:?}",
                sorted_events(&api)
            );
        }
        assert_eq!(
            api.events().len(),
            6,
            "each part should start once and end once: {:?}",
            sorted_events(&api)
        );
    }
}

/// When a part fails, the fetch returns then, and the other parts are stopped.
#[tokio::test(start_paused = true)]
async fn a_failed_part_stops_the_others() {
    let api = Arc::new(Api::panicking_in(Part::Posts));
    let start = Instant::now();

    let result = fetch_within_limit(&api, 7).await;
    let failed_at = start.elapsed();
    sleep(ms(1000)).await;

    assert!(result.is_err(), "the posts part panicked");
    assert_eq!(
        failed_at,
        ms(300),
        "the fetch should fail as soon as posts fails, at 0.3 s"
    );
    assert_eq!(
        sorted_events(&api),
        [
            "cancel comments",
            "cancel user",
            "panic posts",
            "start comments",
            "start posts",
            "start user",
        ],
        "after a failure, the other parts should be cancelled, not left running"
    );
}

/// Dropping the fetch (here: a caller's timeout) cancels every part.
#[tokio::test(start_paused = true)]
async fn cancelling_the_fetch_cancels_every_part() {
    let api = Arc::new(Api::new());

    let outcome = timeout(ms(200), fetch_profile(Arc::clone(&api), 7)).await;
    sleep(ms(1000)).await;

    assert!(outcome.is_err(), "the fetch cannot finish within 0.2 s");
    assert_eq!(
        sorted_events(&api),
        [
            "cancel comments",
            "cancel posts",
            "cancel user",
            "start comments",
            "start posts",
            "start user",
        ],
        "dropping a JoinHandle detaches its task: the parts kept running after the fetch was cancelled"
    );
}

/// Dropped at any moment (before, between and after the parts' answers), the
/// fetch leaves nothing running: the parts that had answered ended, the rest
/// are cancelled.
#[tokio::test(start_paused = true)]
async fn cancelling_the_fetch_at_any_moment_stops_the_unfinished_parts() {
    for cut in [ms(100), ms(350), ms(450)] {
        let api = Arc::new(Api::new());

        let outcome = timeout(cut, fetch_profile(Arc::clone(&api), 7)).await;
        sleep(ms(1000)).await;

        assert!(outcome.is_err(), "the fetch cannot finish within {cut:?}");
        let mut expected: Vec<String> = [Part::User, Part::Posts, Part::Comments]
            .into_iter()
            .flat_map(|part| {
                let ending = if part.latency() < cut {
                    "end"
                } else {
                    "cancel"
                };
                [format!("start {part}"), format!("{ending} {part}")]
            })
            .collect();
        expected.sort();
        assert_eq!(
            sorted_events(&api),
            expected,
            "dropped after {cut:?}, the fetch should leave the parts that had answered \
             ended and every other part cancelled"
        );
    }
}
