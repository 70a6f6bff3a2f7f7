//! Kata 24 tests: results stream out in the order their futures complete, each
//! at the moment it completes.
//!
//! The tests run on tokio's paused clock: the clock jumps to the next timer
//! whenever every task waits, so "the first result arrived at 1 s" is an exact
//! claim. Each test notes the virtual time at which every item reaches the
//! consumer: the right order at the wrong time (everything at the end) fails.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use as_completed::as_completed;
use futures::StreamExt;
use futures::stream::BoxStream;
use tokio::time::{Instant, sleep, timeout};

/// Long enough for any right answer; a hang fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

/// A simulated request: waits `delay`, then answers `name`.
async fn request(name: &'static str, delay: Duration) -> &'static str {
    sleep(delay).await;
    name
}

/// Drains the stream, noting the virtual time (since `start`) at which each
/// item reached the consumer.
async fn drain_with_times<T>(mut stream: BoxStream<'_, T>, start: Instant) -> Vec<(T, Duration)> {
    let mut items = Vec::new();
    while let Some(item) = timeout(LIMIT, stream.next())
        .await
        .expect("the stream never yielded its next item nor ended")
    {
        items.push((item, start.elapsed()));
    }
    items
}

/// Records, into the shared list, the virtual time (since the given start)
/// at which its future was dropped.
struct DropGuard(Arc<Mutex<Vec<Duration>>>, Instant);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.lock().unwrap().push(self.1.elapsed());
    }
}

/// A future that waits `delay` and answers it, recording in `dropped_at`
/// when it is dropped (at its end, or when it is cancelled).
fn guarded(
    dropped_at: &Arc<Mutex<Vec<Duration>>>,
    start: Instant,
    delay: Duration,
) -> impl Future<Output = Duration> + Send + 'static {
    let guard = DropGuard(Arc::clone(dropped_at), start);
    async move {
        let _guard = guard;
        sleep(delay).await;
        delay
    }
}

/// Results reach the consumer in completion order, each at the moment its
/// future completes.
#[tokio::test(start_paused = true)]
async fn results_arrive_in_completion_order_as_they_complete() {
    let start = Instant::now();
    let stream = as_completed([
        request("slow", secs(3)),
        request("fast", secs(1)),
        request("mid", secs(2)),
    ]);

    let arrivals = drain_with_times(stream, start).await;

    assert_eq!(
        arrivals,
        [("fast", secs(1)), ("mid", secs(2)), ("slow", secs(3))],
        "each result must arrive when its future completes (fast at 1 s, mid at 2 s, slow at 3 s)"
    );
}

/// The consumer gets the first result when the first future completes, not
/// when the last one does.
#[tokio::test(start_paused = true)]
async fn the_first_result_arrives_at_the_first_completion() {
    let start = Instant::now();
    let mut stream = as_completed([request("slow", secs(100)), request("fast", secs(1))]);

    let first = timeout(LIMIT, stream.next())
        .await
        .expect("the stream never yielded");

    assert_eq!(first, Some("fast"));
    assert_eq!(
        start.elapsed(),
        secs(1),
        "the first result must come out at 1 s, when it completes, not after everything has finished"
    );
}

/// The futures run at the same time: the stream ends after the slowest one,
/// not after the sum of them all.
#[tokio::test(start_paused = true)]
async fn the_futures_run_concurrently() {
    let start = Instant::now();
    let stream = as_completed((1..=5).map(|n| request("any", secs(n))));

    let arrivals = drain_with_times(stream, start).await;

    assert_eq!(arrivals.len(), 5);
    assert_eq!(
        start.elapsed(),
        secs(5),
        "five requests of 1 to 5 s must take 5 s in all, not 15 s: they ran one after another"
    );
}

/// A consumer that stops early drops the stream; the futures not yet done are
/// dropped with it (cancelled), not left running.
#[tokio::test(start_paused = true)]
async fn dropping_the_stream_cancels_the_unfinished_futures() {
    let dropped_at: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let start = Instant::now();
    let guarded = |delay| guarded(&dropped_at, start, delay);
    let mut stream = as_completed([guarded(secs(1)), guarded(secs(50)), guarded(secs(60))]);

    let first = timeout(LIMIT, stream.next()).await.expect("no first item");
    drop(stream);
    sleep(secs(100)).await;

    assert_eq!(first, Some(secs(1)));
    assert_eq!(
        *dropped_at.lock().unwrap(),
        [secs(1), secs(1), secs(1)],
        "the first future ends at 1 s; the two unfinished ones must be dropped with the stream, at 1 s"
    );
}

/// No futures: the stream ends at once.
#[tokio::test(start_paused = true)]
async fn no_futures_make_an_empty_stream() {
    let start = Instant::now();
    let none: Vec<std::future::Ready<u32>> = Vec::new();

    let arrivals = drain_with_times(as_completed(none), start).await;

    assert!(arrivals.is_empty());
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// It scales: ten thousand futures with distinct delays (a shuffle of 1 ms to
/// 10 s) all stream out, each at its own completion time, in completion order,
/// and the whole run takes exactly the longest delay.
#[tokio::test(start_paused = true)]
async fn ten_thousand_futures_stream_out_in_completion_order() {
    const N: u64 = 10_000;
    // 7919 is prime, so `i * 7919 % N` visits every number below N once: the
    // delays are 1..=N ms, in a scrambled input order.
    let delay_of = |i: u64| ms(i * 7919 % N + 1);
    let start = Instant::now();
    let stream = as_completed((0..N).map(|i| async move {
        sleep(delay_of(i)).await;
        i
    }));

    let arrivals = drain_with_times(stream, start).await;

    assert_eq!(
        arrivals.len(),
        N as usize,
        "every one of the 10 000 results must come out"
    );
    assert_eq!(
        arrivals[0].1,
        ms(1),
        "the first result must arrive at 1 ms, when the quickest future completes"
    );
    for (position, (i, arrived)) in arrivals.iter().enumerate() {
        assert_eq!(
            *arrived,
            delay_of(*i),
            "result #{position} (input {i}) must arrive exactly when it completes"
        );
        assert_eq!(
            delay_of(*i),
            ms(position as u64 + 1),
            "result #{position} is out of completion order"
        );
    }
    assert_eq!(
        start.elapsed(),
        ms(N),
        "10 000 concurrent futures take as long as the slowest (10 s)"
    );
}

/// Counts how often its inner future is polled.
struct CountPolls<F> {
    inner: Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
}

impl<F: Future> Future for CountPolls<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::Relaxed);
        self.inner.as_mut().poll(cx)
    }
}

/// Why it scales: a future is polled again only when its waker fires, not
/// every time some other future completes. Each of these futures needs two
/// polls (one to start its timer, one when the timer fires); re-polling every
/// pending future after each completion (`select_all` in a loop) costs about
/// n²/2 polls, which is what makes 10 000 futures crawl.
#[tokio::test(start_paused = true)]
async fn a_future_is_polled_only_when_it_is_woken() {
    const N: u64 = 2_000;
    let polls = Arc::new(AtomicUsize::new(0));
    let stream = as_completed((0..N).map(|i| CountPolls {
        inner: Box::pin(sleep(ms(N - i))),
        polls: Arc::clone(&polls),
    }));

    let arrivals = drain_with_times(stream, Instant::now()).await;

    assert_eq!(arrivals.len(), N as usize);
    let polls = polls.load(Ordering::Relaxed);
    assert!(
        polls <= 3 * N as usize,
        "{N} futures were polled {polls} times in all; each should be polled \
         about twice (once to start, once when woken), not once per completion"
    );
}

/// Futures that complete at the same instant all come out at that instant,
/// one after another, none held back until some later wake-up.
#[tokio::test(start_paused = true)]
async fn futures_completing_together_all_come_out_at_that_instant() {
    let start = Instant::now();
    let stream = as_completed([
        request("a", secs(1)),
        request("late", secs(2)),
        request("b", secs(1)),
        request("c", secs(1)),
        request("d", secs(1)),
    ]);

    let arrivals = drain_with_times(stream, start).await;

    let times: Vec<Duration> = arrivals.iter().map(|(_, at)| *at).collect();
    assert_eq!(
        times,
        [secs(1), secs(1), secs(1), secs(1), secs(2)],
        "four futures complete together at 1 s: all four must come out then \
         (got {arrivals:?})"
    );
    let mut tied: Vec<&str> = arrivals[..4].iter().map(|(name, _)| *name).collect();
    tied.sort_unstable();
    assert_eq!(tied, ["a", "b", "c", "d"]);
    assert_eq!(arrivals[4].0, "late");
}

/// Ties at scale: ten thousand futures completing at ten instants (a
/// thousand at each second) all come out, each at its own instant.
#[tokio::test(start_paused = true)]
async fn ten_thousand_futures_in_ten_ties_each_come_out_at_their_instant() {
    const N: u64 = 10_000;
    let delay_of = |i: u64| secs(i % 10 + 1);
    let start = Instant::now();
    let stream = as_completed((0..N).map(|i| async move {
        sleep(delay_of(i)).await;
        i
    }));

    let arrivals = drain_with_times(stream, start).await;

    assert_eq!(arrivals.len(), N as usize, "every result must come out");
    for (position, (i, arrived)) in arrivals.iter().enumerate() {
        assert_eq!(
            *arrived,
            delay_of(*i),
            "result #{position} (input {i}) must arrive exactly when it completes"
        );
    }
    assert_eq!(start.elapsed(), secs(10));
}

/// The futures do nothing until the stream is first polled: building the
/// stream starts nothing (Rust futures are lazy, unlike asyncio's tasks).
#[tokio::test(start_paused = true)]
async fn nothing_starts_before_the_stream_is_polled() {
    let started: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let start = Instant::now();
    let logged = |delay: Duration| {
        let started = Arc::clone(&started);
        async move {
            started.lock().unwrap().push(start.elapsed());
            sleep(delay).await;
            delay
        }
    };
    let stream = as_completed([logged(secs(1)), logged(secs(2))]);
    sleep(secs(5)).await;

    assert_eq!(
        *started.lock().unwrap(),
        [],
        "nothing may run before the stream is polled"
    );
    let arrivals = drain_with_times(stream, start).await;
    assert_eq!(*started.lock().unwrap(), [secs(5), secs(5)]);
    assert_eq!(arrivals, [(secs(1), secs(6)), (secs(2), secs(7))]);
}

/// The futures advance only while the stream is polled: a consumer busy
/// elsewhere holds them up, though their timers still expire, and what is
/// ready comes out at once when it asks again.
#[tokio::test(start_paused = true)]
async fn the_futures_wait_while_the_consumer_is_busy_elsewhere() {
    let steps: Arc<Mutex<Vec<(&'static str, Duration)>>> = Arc::default();
    let start = Instant::now();
    let two_steps = |name: &'static str, first: Duration| {
        let steps = Arc::clone(&steps);
        async move {
            sleep(first).await;
            steps.lock().unwrap().push((name, start.elapsed()));
            sleep(secs(1)).await;
            name
        }
    };
    let mut stream = as_completed([
        two_steps("quick", Duration::ZERO),
        two_steps("slow", secs(2)),
    ]);

    let first = timeout(LIMIT, stream.next()).await.expect("no first item");
    assert_eq!((first, start.elapsed()), (Some("quick"), secs(1)));
    sleep(secs(9)).await; // busy elsewhere until 10 s
    let second = timeout(LIMIT, stream.next()).await.expect("no second item");

    assert_eq!(
        *steps.lock().unwrap(),
        [("quick", secs(0)), ("slow", secs(10))],
        "\"slow\" finished its first step (a 2 s timer) while nobody polled \
         the stream: it may go on only when the stream is polled again, at 10 s"
    );
    assert_eq!((second, start.elapsed()), (Some("slow"), secs(11)));
}

/// Dropping the stream at any of the consumer's awaits (before any result,
/// or after one or two) cancels every future not yet done, at that instant.
#[tokio::test(start_paused = true)]
async fn dropping_the_stream_at_any_await_cancels_the_unfinished_futures() {
    for taken in 0..=2_u64 {
        let dropped_at: Arc<Mutex<Vec<Duration>>> = Arc::default();
        let start = Instant::now();
        let guarded = |delay| guarded(&dropped_at, start, delay);
        let mut stream = as_completed([guarded(secs(1)), guarded(secs(2)), guarded(secs(3))]);

        // Poll once (so that every future has started), then take `taken`.
        assert!(futures::poll!(stream.next()).is_pending());
        for _ in 0..taken {
            timeout(LIMIT, stream.next()).await.expect("no item");
        }
        let drop_at = start.elapsed();
        drop(stream);
        sleep(secs(100)).await;

        let mut expected: Vec<Duration> = (1..=taken).map(secs).collect();
        expected.extend((taken..3).map(|_| drop_at));
        let mut seen = dropped_at.lock().unwrap().clone();
        seen.sort();
        assert_eq!(
            seen, expected,
            "the stream was dropped at {drop_at:?} after {taken} results: every \
             unfinished future must be dropped with it, then"
        );
    }
}
