//! Kata 14 tests: timeouts on tokio's paused clock.
//!
//! The simulated `Service` counts every call that was dropped before it
//! answered ("abandoned"): that is how the tests see that a timed-out
//! operation was really cancelled, not left running. On the paused clock the
//! boundaries are exact, so "finishes exactly at the deadline" is testable.

use std::time::Duration;

use timeout::{
    Reply, Service, ServiceError, TimeoutError, retry_until, with_deadline, with_timeout,
};
use tokio::time::Instant;

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

/// How many times a test repeats a tie between the timer and the operation.
/// A hand-made `select!` without `biased;` picks its first branch at random,
/// so it would win a single tie half of the time; it cannot win 32 in a row
/// by luck.
const ROUNDS: u32 = 32;

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn failed(message: &str) -> TimeoutError<ServiceError> {
    TimeoutError::Failed(ServiceError(message.to_owned()))
}

/// Runs a future under the test's own safety limit.
async fn within_limit<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, future)
        .await
        .expect("it never returned: it should have given up by its own deadline")
}

/// An operation that answers in time gives its value, at its own pace.
#[tokio::test(start_paused = true)]
async fn an_operation_within_the_limit_gives_its_value() {
    let service = Service::new([Reply::Value(7, ms(300))]);
    let start = Instant::now();

    let result = within_limit(with_timeout(ms(1000), service.call())).await;

    assert_eq!(result, Ok(7));
    assert_eq!(
        start.elapsed(),
        ms(300),
        "a timeout must not slow down a fast operation"
    );
    assert_eq!(service.finished(), 1);
}

/// A slow operation times out exactly at the limit.
#[tokio::test(start_paused = true)]
async fn a_slow_operation_times_out_at_the_limit() {
    let service = Service::new([Reply::Value(7, ms(5000))]);
    let start = Instant::now();

    let result = within_limit(with_timeout(ms(1000), service.call())).await;

    assert_eq!(result, Err(TimeoutError::TimedOut));
    assert_eq!(
        start.elapsed(),
        ms(1000),
        "the timeout must fire at the limit, not later"
    );
}

/// The operation that timed out was dropped at the limit: cancelled, not left
/// running in the background.
#[tokio::test(start_paused = true)]
async fn the_timed_out_operation_is_dropped() {
    let service = Service::new([Reply::Hang]);

    let _ = within_limit(with_timeout(ms(1000), service.call())).await;

    assert_eq!(
        service.abandoned(),
        1,
        "the timed-out call must be dropped by the time the timeout returns"
    );
    assert_eq!(service.finished(), 0);
}

/// An operation that fails in time reports its own error, not a time-out.
#[tokio::test(start_paused = true)]
async fn the_operations_own_error_is_not_a_timeout() {
    let service = Service::new([Reply::Fail("disk full", ms(200))]);
    let start = Instant::now();

    let result = within_limit(with_timeout(ms(1000), service.call())).await;

    assert_eq!(
        result,
        Err(failed("disk full")),
        "the service answered with an error in time: that is Failed, not TimedOut"
    );
    assert_eq!(start.elapsed(), ms(200));
    assert_eq!(service.abandoned(), 0);
}

/// Finishing exactly at the limit counts as finishing, every time: tokio
/// polls the operation before it checks the timer.
#[tokio::test(start_paused = true)]
async fn an_operation_finishing_exactly_at_the_limit_succeeds() {
    for round in 1..=ROUNDS {
        let service = Service::new([Reply::Value(7, ms(1000))]);
        let start = Instant::now();

        let result = within_limit(with_timeout(ms(1000), service.call())).await;

        assert_eq!(
            result,
            Ok(7),
            "round {round}: the operation was ready at the very instant of the limit: \
             its value wins (a select! must poll the operation first, not at random)"
        );
        assert_eq!(start.elapsed(), ms(1000));
    }
}

/// One millisecond too slow is too slow.
#[tokio::test(start_paused = true)]
async fn an_operation_one_millisecond_late_times_out() {
    let service = Service::new([Reply::Value(7, ms(1001))]);
    let start = Instant::now();

    let result = within_limit(with_timeout(ms(1000), service.call())).await;

    assert_eq!(result, Err(TimeoutError::TimedOut));
    assert_eq!(start.elapsed(), ms(1000));
    assert_eq!(service.abandoned(), 1);
}

/// A zero limit still polls the operation once: a ready answer is taken, a
/// pending one is started, then dropped, with no time passing.
#[tokio::test(start_paused = true)]
async fn a_zero_limit_polls_the_operation_once() {
    for round in 1..=ROUNDS {
        let ready = within_limit(with_timeout(Duration::ZERO, async {
            Ok::<_, ServiceError>(5)
        }))
        .await;
        assert_eq!(
            ready,
            Ok(5),
            "round {round}: a future that is ready at its first poll beats a zero limit"
        );
    }

    let service = Service::new([Reply::Value(7, ms(1))]);
    let start = Instant::now();
    let pending = within_limit(with_timeout(Duration::ZERO, service.call())).await;

    assert_eq!(pending, Err(TimeoutError::TimedOut));
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(
        service.calls_started_at(),
        [Duration::ZERO],
        "the call was polled once, so it started"
    );
    assert_eq!(service.abandoned(), 1);
}

/// A deadline is a point in time: work done before the call uses it up.
#[tokio::test(start_paused = true)]
async fn a_deadline_counts_from_when_it_was_set() {
    let start = Instant::now();
    let deadline = start + ms(1000);
    tokio::time::sleep(ms(600)).await;
    let service = Service::new([Reply::Value(7, ms(500))]);

    let result = within_limit(with_deadline(deadline, service.call())).await;

    assert_eq!(
        result,
        Err(TimeoutError::TimedOut),
        "600 ms were already gone: only 400 ms were left for a 500 ms call"
    );
    assert_eq!(
        start.elapsed(),
        ms(1000),
        "the deadline is an instant, not a fresh 1 s allowance"
    );
    assert_eq!(service.abandoned(), 1);
}

/// Up to its deadline, `with_deadline` gives the value or the operation's
/// own error, like `with_timeout`, and wins every tie with the timer.
#[tokio::test(start_paused = true)]
async fn with_deadline_tells_a_value_from_a_failure() {
    for round in 1..=ROUNDS {
        let deadline = Instant::now() + ms(1000);
        let service = Service::new([
            Reply::Value(7, ms(1000)),
            Reply::Fail("no such user", ms(0)),
        ]);

        let first = within_limit(with_deadline(deadline, service.call())).await;
        let second = within_limit(with_deadline(deadline, service.call())).await;

        assert_eq!(
            first,
            Ok(7),
            "round {round}: finishing exactly at the deadline counts as in time"
        );
        assert_eq!(
            second,
            Err(failed("no such user")),
            "round {round}: an answer ready at once beats a deadline that has come"
        );
    }
}

/// A deadline already in the past still polls the operation once: a ready
/// answer is taken, a pending call is started and dropped at once.
#[tokio::test(start_paused = true)]
async fn a_deadline_already_past_still_polls_the_operation_once() {
    let deadline = Instant::now();
    tokio::time::sleep(ms(100)).await;

    for round in 1..=ROUNDS {
        let ready = within_limit(with_deadline(deadline, async { Ok::<_, ServiceError>(5) })).await;
        assert_eq!(
            ready,
            Ok(5),
            "round {round}: a future that is ready at its first poll beats a deadline \
             100 ms past"
        );
    }

    let service = Service::new([Reply::Value(7, ms(1))]);
    let start = Instant::now();
    let pending = within_limit(with_deadline(deadline, service.call())).await;

    assert_eq!(pending, Err(TimeoutError::TimedOut));
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "a past deadline has no time left"
    );
    assert_eq!(
        service.calls_started_at(),
        [Duration::ZERO],
        "the call was polled once, so it started"
    );
    assert_eq!(service.abandoned(), 1);
}

/// Retrying stops at the first success, with the pause between attempts.
#[tokio::test(start_paused = true)]
async fn retry_returns_the_first_success() {
    let service = Service::new([
        Reply::Fail("busy", ms(100)),
        Reply::Fail("busy", ms(100)),
        Reply::Value(7, ms(100)),
    ]);
    let start = Instant::now();

    let result = within_limit(retry_until(start + ms(1000), ms(50), || service.call())).await;

    assert_eq!(result, Ok(7));
    assert_eq!(start.elapsed(), ms(400));
    assert_eq!(service.calls_started_at(), [ms(0), ms(150), ms(300)]);
}

/// An attempt that succeeds exactly at the deadline is a success: the retry
/// loop looks at the attempt's answer, not at the clock, once it is in.
#[tokio::test(start_paused = true)]
async fn retry_takes_a_success_that_comes_exactly_at_the_deadline() {
    let service = Service::new([Reply::Fail("busy", ms(100)), Reply::Value(7, ms(200))]);
    let start = Instant::now();

    let result = within_limit(retry_until(start + ms(300), Duration::ZERO, || {
        service.call()
    }))
    .await;

    assert_eq!(
        result,
        Ok(7),
        "the second attempt answered at the very instant of the deadline: \
         its value wins, as with with_deadline"
    );
    assert_eq!(start.elapsed(), ms(300));
    assert_eq!(service.calls_started_at(), [ms(0), ms(100)]);
}

/// A deadline that has already come, or passed, leaves no time for an
/// attempt: `retry_until` starts none and gives up at once.
#[tokio::test(start_paused = true)]
async fn retry_starts_no_attempt_once_the_deadline_has_come() {
    let service = Service::new([Reply::Value(7, Duration::ZERO)]);
    let now = Instant::now();

    let at = within_limit(retry_until(now, ms(50), || service.call())).await;
    tokio::time::sleep(ms(100)).await;
    let start = Instant::now();
    let past = within_limit(retry_until(now, ms(50), || service.call())).await;

    assert_eq!(
        at,
        Err(TimeoutError::TimedOut),
        "the deadline is now: no attempt may start at it, even one that would answer at once"
    );
    assert_eq!(
        past,
        Err(TimeoutError::TimedOut),
        "the deadline passed 100 ms ago: no attempt may start after it"
    );
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "give up at once, do not wait"
    );
    assert_eq!(
        service.calls_started_at(),
        [],
        "an attempt was started at or after the deadline"
    );
}

/// A service that never answers cannot keep a retry loop going: it gives up
/// at the deadline, exactly, and drops the attempt in flight.
#[tokio::test(start_paused = true)]
async fn retry_gives_up_at_the_deadline_when_the_service_hangs() {
    let service = Service::new([Reply::Hang]);
    let start = Instant::now();

    let result = within_limit(retry_until(start + ms(1000), ms(50), || service.call())).await;

    assert_eq!(result, Err(TimeoutError::TimedOut));
    assert_eq!(start.elapsed(), ms(1000));
    assert_eq!(
        service.calls_started_at(),
        [ms(0)],
        "no attempt may start once the deadline has come"
    );
    assert_eq!(service.abandoned(), 1);
}

/// A service that always fails is retried until the deadline and no longer;
/// a pause that would run past the deadline ends at the deadline instead.
#[tokio::test(start_paused = true)]
async fn retry_gives_up_at_the_deadline_when_every_attempt_fails() {
    let service = Service::new([Reply::Fail("busy", ms(100))]);
    let start = Instant::now();

    let result = within_limit(retry_until(start + ms(1000), ms(100), || service.call())).await;

    assert_eq!(
        result,
        Err(TimeoutError::TimedOut),
        "out of time is TimedOut, whatever the last attempt said"
    );
    assert_eq!(start.elapsed(), ms(1000), "gave up too late or too early");
    assert_eq!(
        service.calls_started_at(),
        [ms(0), ms(200), ms(400), ms(600), ms(800)],
        "an attempt every 200 ms, and none at or after the deadline"
    );
    assert_eq!(service.abandoned(), 0);
}

/// A failure leaves 200 ms before the deadline, less than the 250 ms pause:
/// the retry loop waits out the deadline and stops there, neither sleeping
/// the whole pause past it nor giving up early.
#[tokio::test(start_paused = true)]
async fn retry_stops_at_the_deadline_when_the_pause_would_cross_it() {
    let service = Service::new([Reply::Fail("busy", ms(100))]);
    let start = Instant::now();

    let result = within_limit(retry_until(start + ms(1000), ms(250), || service.call())).await;

    assert_eq!(result, Err(TimeoutError::TimedOut));
    assert_eq!(
        start.elapsed(),
        ms(1000),
        "the third failure came at 800 ms and the next attempt would be at 1050 ms: \
         give up at the deadline, not after the whole pause, and not at 800 ms"
    );
    assert_eq!(
        service.calls_started_at(),
        [ms(0), ms(350), ms(700)],
        "no attempt may start at or after the deadline"
    );
}

/// All attempts share one deadline: an attempt still running when it comes
/// is cut off, even though it has had less than the full second.
#[tokio::test(start_paused = true)]
async fn retry_cuts_off_the_attempt_in_flight_at_the_deadline() {
    let service = Service::new([Reply::Fail("busy", ms(300))]);
    let start = Instant::now();

    let result = within_limit(retry_until(start + ms(1000), ms(100), || service.call())).await;

    assert_eq!(result, Err(TimeoutError::TimedOut));
    assert_eq!(
        start.elapsed(),
        ms(1000),
        "each attempt must get what is left of the deadline, not a fresh allowance"
    );
    assert_eq!(service.calls_started_at(), [ms(0), ms(400), ms(800)]);
    assert_eq!(
        service.abandoned(),
        1,
        "the third attempt, started at 800 ms, must be dropped at 1000 ms"
    );
}
