//! Kata 40 tests: an async constructor and a lazy async singleton.
//!
//! The simulated `Server` keeps books: connection attempts, open sessions,
//! sessions closed politely and sessions abandoned (a `Connection` dropped
//! without `close`). Every step takes a fixed time on tokio's paused clock
//! (open 40 ms, login 20 ms, settings 20 ms, close 10 ms), so when a client
//! was made, and by how many connections, is exact. One test runs real
//! threads instead, with a barrier so that ten callers arrive together.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use async_constructor::{
    CLOSE_LATENCY, Client, ConnectError, LOGIN_LATENCY, LazyClient, OPEN_LATENCY, SETTINGS_LATENCY,
    Server, Settings,
};
use futures::future::join_all;
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout};
use tokio_test::{assert_pending, assert_ready};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// Open, login and settings: the time a client takes to make.
const MAKE: Duration = OPEN_LATENCY
    .saturating_add(LOGIN_LATENCY)
    .saturating_add(SETTINGS_LATENCY);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn eu_west() -> Settings {
    Settings {
        region: "eu-west".to_owned(),
        max_in_flight: 8,
    }
}

async fn within_limit<T>(future: impl Future<Output = T>) -> T {
    timeout(LIMIT, future)
        .await
        .expect("it never returned: is a caller waiting for something that never comes?")
}

/// Lets any other task run for a moment, without moving the clock.
async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

/// A task that calls `get` and returns the client's session.
fn spawn_get(lazy: &Arc<LazyClient>) -> JoinHandle<Result<u64, ConnectError>> {
    let lazy = Arc::clone(lazy);
    tokio::spawn(async move { lazy.get().await.map(Client::session) })
}

/// Ten callers of `get` at once: each one's session, and when it got it.
async fn ten_callers(lazy: &LazyClient) -> Vec<(Result<u64, ConnectError>, Duration)> {
    let start = Instant::now();
    within_limit(join_all((0..10).map(|_| async {
        let client = lazy.get().await;
        (client.map(Client::session), start.elapsed())
    })))
    .await
}

/// A client made from the server's own steps, ready to use at once.
#[tokio::test(start_paused = true)]
async fn connect_returns_a_ready_client() {
    let server = Server::new();
    let start = Instant::now();

    let client = within_limit(Client::connect(&server))
        .await
        .expect("the server accepts everything");

    assert_eq!(
        start.elapsed(),
        MAKE,
        "connect must open, log in and load the settings (40 + 20 + 20 ms), one after another, \
         and return only then"
    );
    assert_eq!(
        client.settings(),
        &eu_west(),
        "the client holds the settings the server sent"
    );
    assert_eq!(server.open_sessions(), 1);
    assert_eq!(
        within_limit(client.query("select 1")).await,
        Ok(format!("session {} ran \"select 1\"", client.session())),
        "a client that connect returned must work at once: it is logged in"
    );
}

/// A refused connection is the error; there is nothing to clean up.
#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_an_error() {
    let server = Server::new();
    server.refuse_connections(1);
    let start = Instant::now();

    let result = within_limit(Client::connect(&server)).await;

    assert_eq!(result.err(), Some(ConnectError::Refused));
    assert_eq!(start.elapsed(), OPEN_LATENCY);
    assert_eq!(
        server.connection_attempts(),
        1,
        "connect makes one attempt: retrying is the caller's choice"
    );
    assert_eq!(server.open_sessions(), 0);
}

/// A rejected login is the error, and the connection opened before it was
/// closed politely by the time the error is returned.
#[tokio::test(start_paused = true)]
async fn a_rejected_login_closes_the_connection_before_the_error() {
    let server = Server::new();
    server.reject_logins(1);
    let start = Instant::now();

    let result = within_limit(Client::connect(&server)).await;

    assert_eq!(result.err(), Some(ConnectError::LoginRejected));
    assert_eq!(
        server.abandoned_sessions(),
        0,
        "the connection was dropped without close(): `?` drops it, and Drop cannot await \
         the goodbye. Close it before returning the error"
    );
    assert_eq!(
        (server.open_sessions(), server.closed_sessions()),
        (0, 1),
        "by the time connect returns its error, the connection must be closed \
         (not left open, not being closed in the background)"
    );
    assert_eq!(
        start.elapsed(),
        OPEN_LATENCY + LOGIN_LATENCY + CLOSE_LATENCY
    );
}

/// Settings that cannot be loaded are an error, not a client with settings
/// made up on the spot; the connection is closed politely first.
#[tokio::test(start_paused = true)]
async fn failed_settings_are_an_error_not_a_client_with_made_up_settings() {
    let server = Server::new();
    server.fail_settings(1);

    let result = within_limit(Client::connect(&server)).await;

    match result {
        Err(error) => assert_eq!(error, ConnectError::SettingsUnavailable),
        Ok(client) => panic!(
            "connect returned a client with settings {:?} although the server could not \
             send any: that client is half made",
            client.settings()
        ),
    }
    assert_eq!(
        server.abandoned_sessions(),
        0,
        "the connection was dropped without close()"
    );
    assert_eq!(
        (server.open_sessions(), server.closed_sessions()),
        (0, 1),
        "by the time connect returns its error, the connection must be closed"
    );
}

/// A constructor dropped half-way (at each of its steps) leaves no session
/// open, and nothing runs on after it.
#[tokio::test(start_paused = true)]
async fn a_dropped_constructor_leaves_no_session_open() {
    // During the open, the login and the settings.
    for give_up_after in [ms(10), ms(50), ms(70)] {
        let server = Server::new();

        let result = timeout(give_up_after, Client::connect(&server)).await;

        assert!(
            result.is_err(),
            "connect cannot be done after {give_up_after:?}"
        );
        assert_eq!(
            server.open_sessions(),
            0,
            "connect was dropped after {give_up_after:?}, yet a session is still open: \
             is the work running on in a spawned task?"
        );
        settle().await;
        tokio::time::sleep(MAKE).await;
        assert_eq!(
            server.open_sessions(),
            0,
            "a session was opened after connect had been dropped at {give_up_after:?}"
        );
    }
}

/// Making a `LazyClient` connects nothing: the first `get` does.
#[tokio::test(start_paused = true)]
async fn a_new_lazy_client_connects_nothing() {
    let server = Server::new();

    let lazy = LazyClient::new(server.clone());
    settle().await;
    tokio::time::sleep(MAKE).await;

    assert_eq!(
        server.connection_attempts(),
        0,
        "new() must not connect, not even in the background: the first get() does"
    );
    drop(lazy);
}

/// The first `get` makes the client; later ones get the same client, at
/// once, without a connection, even when the server would refuse one now.
#[tokio::test(start_paused = true)]
async fn the_first_get_makes_the_client_and_later_gets_reuse_it() {
    let server = Server::new();
    let lazy = LazyClient::new(server.clone());
    let start = Instant::now();

    let first: *const Client = within_limit(lazy.get()).await.expect("no failure scripted");
    assert_eq!(start.elapsed(), MAKE);

    server.refuse_connections(100);
    let again = Instant::now();
    for _ in 0..100 {
        let client = within_limit(lazy.get())
            .await
            .expect("the client is made: get must not connect again");
        assert!(
            std::ptr::eq(client, first),
            "every get must return the one shared client"
        );
    }
    assert_eq!(
        again.elapsed(),
        Duration::ZERO,
        "a made client costs no time"
    );
    assert_eq!(server.connection_attempts(), 1);
    assert_eq!(server.open_sessions(), 1);
}

/// Once the client is made, `get` is ready at its first poll: it never
/// waits, not even for a moment.
#[tokio::test(start_paused = true)]
async fn a_made_client_is_returned_at_the_first_poll() {
    let server = Server::new();
    let lazy = LazyClient::new(server.clone());
    within_limit(lazy.get()).await.expect("no failure scripted");

    for round in 1..=10 {
        let mut get = tokio_test::task::spawn(lazy.get());
        let client = assert_ready!(
            get.poll(),
            "round {round}: get must not wait once the client is made"
        );
        assert!(client.is_ok());
    }
}

/// Ten callers arriving together make one client between them, and all get
/// it as soon as it is made.
#[tokio::test(start_paused = true)]
async fn ten_concurrent_first_callers_make_one_client() {
    let server = Server::new();
    let lazy = LazyClient::new(server.clone());

    let results = ten_callers(&lazy).await;

    assert_eq!(
        server.connection_attempts(),
        1,
        "ten callers that arrive before the client is made must share one connection: \
         checking for a client and then making one lets every caller make its own"
    );
    for (i, (session, at)) in results.iter().enumerate() {
        assert_eq!(
            session,
            &Ok(1),
            "caller {i} did not get the one shared client (session 1)"
        );
        assert_eq!(
            *at, MAKE,
            "caller {i} must get the client as soon as it is made"
        );
    }
    assert_eq!(server.open_sessions(), 1);
}

/// The same on a multi-thread runtime: ten tasks on four threads, released
/// together by a barrier, make one client between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_callers_on_four_threads_make_one_client() {
    let server = Server::new();
    let lazy = Arc::new(LazyClient::new(server.clone()));
    let barrier = Arc::new(tokio::sync::Barrier::new(10));

    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let lazy = Arc::clone(&lazy);
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                lazy.get().await.map(Client::session)
            })
        })
        .collect();
    let mut sessions = Vec::new();
    for task in tasks {
        let joined = timeout(Duration::from_secs(10), task)
            .await
            .expect("a caller never got the client");
        match joined {
            Ok(session) => sessions.push(session),
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }

    assert_eq!(
        server.connection_attempts(),
        1,
        "ten callers on four threads made {} connections: two of them saw no client \
         and each made one",
        server.connection_attempts()
    );
    assert!(
        sessions.iter().all(|session| *session == Ok(1)),
        "every caller must get the one client (session 1): {sessions:?}"
    );
}

/// A caller waiting for the client to be made is woken when it is ready, not
/// polled again and again while it waits.
#[tokio::test(start_paused = true)]
async fn waiting_callers_are_woken_not_polled_in_a_loop() {
    /// One poll to start, one when woken, and room to spare.
    const MAX_POLLS: usize = 4;
    let server = Server::new();
    let lazy = Arc::new(LazyClient::new(server.clone()));
    let maker = spawn_get(&lazy);
    settle().await;

    let mut polls = 0;
    let mut waiting = pin!(lazy.get());
    let counted = poll_fn(|cx| {
        polls += 1;
        waiting.as_mut().poll(cx)
    });
    let client = within_limit(counted).await.expect("no failure scripted");

    assert_eq!(client.session(), 1);
    assert!(
        polls <= MAX_POLLS,
        "a waiting caller was polled {polls} times in 80 ms: it checks for the client on a \
         timer or in a loop instead of waiting to be woken"
    );
    let made = within_limit(maker).await.expect("the maker never panics");
    assert_eq!(made, Ok(1));
    assert_eq!(server.connection_attempts(), 1);
}

/// A failed attempt is not kept: the caller that made it gets the error, and
/// the next caller tries again.
#[tokio::test(start_paused = true)]
async fn a_failed_attempt_is_retried_by_the_next_caller() {
    let server = Server::new();
    server.refuse_connections(2);
    let lazy = LazyClient::new(server.clone());

    for attempt in 1..=2 {
        let result = within_limit(lazy.get()).await;
        assert_eq!(
            result.err(),
            Some(ConnectError::Refused),
            "attempt {attempt} was refused: its caller gets the error"
        );
    }
    let start = Instant::now();
    let client = within_limit(lazy.get()).await.expect(
        "the server accepts the third attempt: a failed attempt must not be kept as the \
         answer for everyone after it",
    );

    assert_eq!(start.elapsed(), MAKE, "the third caller connects afresh");
    assert_eq!(client.session(), 1);
    assert_eq!(server.connection_attempts(), 3);
    within_limit(lazy.get()).await.expect("made, and kept");
    assert_eq!(server.connection_attempts(), 3);
}

/// When the first attempt of ten callers fails, only its caller gets the
/// error: a caller that was waiting tries again, and the rest get its client.
#[tokio::test(start_paused = true)]
async fn when_the_first_attempt_fails_a_waiting_caller_retries() {
    let server = Server::new();
    server.refuse_connections(1);
    let lazy = LazyClient::new(server.clone());

    let results = ten_callers(&lazy).await;

    let failed: Vec<_> = results.iter().filter(|(r, _)| r.is_err()).collect();
    assert_eq!(
        failed,
        [&(Err(ConnectError::Refused), OPEN_LATENCY)],
        "one attempt failed, so one caller gets its error (at 40 ms); the waiting callers \
         must not all be handed that failure: the next one tries again"
    );
    for (result, at) in results.iter().filter(|(r, _)| r.is_ok()) {
        assert_eq!(result, &Ok(1), "all the others share one client");
        assert_eq!(
            *at,
            OPEN_LATENCY + MAKE,
            "the retry starts as soon as the first attempt fails, and every waiter gets \
             its client as soon as it is made"
        );
    }
    assert_eq!(server.connection_attempts(), 2);
}

/// The caller making the client gives up half-way (its future is dropped):
/// a caller that was waiting takes over and makes the client.
#[tokio::test(start_paused = true)]
async fn a_caller_that_gives_up_hands_over_to_a_waiting_one() {
    let server = Server::new();
    let lazy = LazyClient::new(server.clone());
    let start = Instant::now();
    // Gives up during the login, after 50 ms.
    let impatient = timeout(ms(50), lazy.get());
    let patient = async {
        let client = lazy.get().await.map(Client::session);
        (client, start.elapsed())
    };

    let (impatient, patient) = within_limit(async { tokio::join!(impatient, patient) }).await;

    assert!(impatient.is_err(), "the impatient caller timed out");
    assert_eq!(
        patient,
        (Ok(2), ms(50) + MAKE),
        "the waiting caller must make the client itself once the first maker is gone \
         (a flag saying `being made` that nobody clears leaves it waiting for ever)"
    );
    assert_eq!(server.connection_attempts(), 2);
    assert_eq!(
        server.abandoned_sessions(),
        1,
        "the dropped attempt's session"
    );
    assert_eq!(server.open_sessions(), 1);
}

/// While the client is being made, a later `get` waits; it does not start a
/// second connection, and it is not ready before the client is.
#[tokio::test(start_paused = true)]
async fn a_get_during_the_making_waits_for_it() {
    let server = Server::new();
    let lazy = Arc::new(LazyClient::new(server.clone()));
    let maker = spawn_get(&lazy);
    tokio::time::sleep(ms(60)).await;

    let mut late = tokio_test::task::spawn(lazy.get());
    assert_pending!(late.poll(), "the client is not made yet at 60 ms");
    assert_eq!(server.connection_attempts(), 1);
    tokio::time::sleep(ms(20)).await;
    settle().await;

    assert!(
        late.is_woken(),
        "the waiting get must be woken once the client is made"
    );
    let client = assert_ready!(late.poll()).expect("no failure scripted");
    assert_eq!(client.session(), 1);
    assert_eq!(
        within_limit(maker).await.expect("the maker never panics"),
        Ok(1)
    );
    assert_eq!(server.connection_attempts(), 1);
}
