//! Kata 41 tests: a batching stream, timed on tokio's paused clock.
//!
//! The given `Feed` hands out items at set times, and its `Probe` tells what
//! was taken from it, whether it was polled after its end, and whether it was
//! dropped. With `start_paused = true` the clock jumps straight to the next
//! timer, so "the batch came out at 220 ms" is exact. No item ever arrives at
//! the very instant a batch's time runs out: the order of two timers that fire
//! together is not what this kata is about.

use std::future::{poll_fn, ready};
use std::pin::{Pin, pin};
use std::time::Duration;

use batching_stream::{Feed, batched};
use futures::{Stream, StreamExt, stream};
use tokio::time::{Instant, timeout};

/// Long enough for any right answer (the longest wait here is an hour and a
/// bit); a stream that hangs fails here, in virtual time.
const LIMIT: Duration = Duration::from_secs(24 * 3600);

const HOUR: Duration = Duration::from_secs(3600);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A feed of `values`, each arriving at its time in milliseconds.
fn feed<T>(items: impl IntoIterator<Item = (u64, T)>) -> Feed<T> {
    Feed::new(items.into_iter().map(|(at, value)| (ms(at), value)))
}

/// How many times a test polls a stream for one batch, at most: a few per
/// item is plenty. A stream that wakes itself every millisecond fails here at
/// once, instead of spinning through an hour of virtual time.
const MAX_POLLS_PER_BATCH: usize = 1000;

/// The next batch, and when it came (measured from `start`).
async fn next_batch<S: Stream>(
    stream: &mut Pin<&mut S>,
    start: Instant,
) -> (Option<S::Item>, Duration) {
    let mut polls = 0;
    let next = poll_fn(|cx| {
        polls += 1;
        assert!(
            polls <= MAX_POLLS_PER_BATCH,
            "the stream was polled {MAX_POLLS_PER_BATCH} times for one batch: it wakes \
             itself on a timer (a short sleep, an interval) instead of waiting for the next \
             item or the deadline"
        );
        stream.as_mut().poll_next(cx)
    });
    let item = timeout(LIMIT, next).await.expect(
        "the stream never handed out its next batch (nor ended): is it waiting for a full batch?",
    );
    (item, start.elapsed())
}

/// The first `count` batches of `stream` (fewer if it ends), each with the time
/// it came out, measured from `start`.
async fn batches<S: Stream>(stream: S, count: usize, start: Instant) -> Vec<(S::Item, Duration)> {
    let mut stream = pin!(stream);
    let mut out = Vec::new();
    while out.len() < count {
        match next_batch(&mut stream, start).await {
            (Some(batch), at) => out.push((batch, at)),
            (None, _) => break,
        }
    }
    out
}

/// Every batch of `stream` with the time it came out, and the time the stream
/// ended, all measured from `start`.
async fn all_batches<S: Stream>(stream: S, start: Instant) -> (Vec<(S::Item, Duration)>, Duration) {
    let mut stream = pin!(stream);
    let mut out = Vec::new();
    loop {
        match next_batch(&mut stream, start).await {
            (Some(batch), at) => out.push((batch, at)),
            (None, end) => return (out, end),
        }
    }
}

/// Lets any other task run for a moment, without moving the clock.
async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

/// A batch is handed out the moment it is full: neither at its time limit
/// nor when the next item arrives.
#[tokio::test(start_paused = true)]
async fn a_full_batch_is_handed_out_the_moment_it_fills() {
    let start = Instant::now();
    let source = feed([(0, 1), (10, 2), (20, 3), (30, 4), (40, 5), (50, 6)]).never_ending();

    let got = batches(batched(source, 3, ms(1000)), 2, start).await;

    assert_eq!(
        got,
        [(vec![1, 2, 3], ms(20)), (vec![4, 5, 6], ms(50))],
        "each batch of 3 must come out when its third item arrives (20 ms and 50 ms)"
    );
}

/// A source whose items are all ready at once gives full batches at once,
/// then the rest, then the end, without any waiting.
#[tokio::test(start_paused = true)]
async fn a_ready_source_gives_full_batches_at_once() {
    let start = Instant::now();

    let (got, end) = all_batches(batched(stream::iter(1..=7), 3, ms(1000)), start).await;

    assert_eq!(
        got,
        [
            (vec![1, 2, 3], Duration::ZERO),
            (vec![4, 5, 6], Duration::ZERO),
            (vec![7], Duration::ZERO),
        ],
    );
    assert_eq!(
        end,
        Duration::ZERO,
        "the source ended: so does the stream, at once"
    );
}

/// A batch that does not fill up is handed out when its time is up, with what
/// it holds: the stream does not wait for ever for a full batch.
#[tokio::test(start_paused = true)]
async fn a_partial_batch_is_handed_out_when_its_time_is_up() {
    let start = Instant::now();
    let source = feed([(0, 'a'), (30, 'b')]).never_ending();

    let got = batches(batched(source, 10, ms(100)), 1, start).await;

    assert_eq!(
        got,
        [(vec!['a', 'b'], ms(100))],
        "two items came (at 0 and 30 ms) and no more: the batch must come out 100 ms after \
         its first item, with both, not wait for ever for ten (nor come out before its time)"
    );
}

/// The clock of a batch starts with its first item: not at the previous
/// flush, not when the caller asked, and not again with every item.
#[tokio::test(start_paused = true)]
async fn the_first_item_starts_the_clock() {
    let start = Instant::now();
    let source = feed([(0, 0), (60, 60), (120, 120), (180, 180)]).never_ending();

    let got = batches(batched(source, 10, ms(100)), 2, start).await;

    assert_eq!(
        got,
        [(vec![0, 60], ms(100)), (vec![120, 180], ms(220))],
        "the second batch starts with the item of 120 ms, so it is due at 220 ms: 200 ms is \
         a clock that started at the previous flush (or a fixed tick), 280 ms one restarted by \
         every item"
    );
}

/// A batch that was flushed because it was full does not leave its clock
/// behind: the next batch's clock starts with the next batch's first item.
#[tokio::test(start_paused = true)]
async fn a_full_batch_leaves_no_clock_behind() {
    let start = Instant::now();
    let source = feed([(0, 0), (10, 10), (20, 20), (50, 50)]).never_ending();

    let got = batches(batched(source, 3, ms(100)), 2, start).await;

    assert_eq!(
        got,
        [(vec![0, 10, 20], ms(20)), (vec![50], ms(150))],
        "the second batch starts at 50 ms, so it is due at 150 ms (100 ms is the first \
         batch's deadline, 120 ms a clock started at the flush)"
    );
}

/// While the source is quiet, nothing comes out: no empty batches, and the
/// next item, an hour later, starts a fresh clock.
#[tokio::test(start_paused = true)]
async fn a_quiet_source_gets_no_empty_batches() {
    let start = Instant::now();
    let source = Feed::new([(Duration::ZERO, 'a'), (HOUR, 'b')]).never_ending();

    let got = batches(batched(source, 10, ms(100)), 2, start).await;

    assert_eq!(
        got,
        [(vec!['a'], ms(100)), (vec!['b'], HOUR + ms(100))],
        "nothing may come out while there is nothing to hand out"
    );
}

/// Waiting costs nothing: while the source is quiet for an hour, the batched
/// stream is not woken again and again.
#[tokio::test(start_paused = true)]
async fn waiting_for_a_quiet_source_costs_no_polls() {
    /// Two batches: a few polls for each, and room to spare.
    const MAX_POLLS: usize = 10;
    let source = Feed::new([(Duration::ZERO, 'a'), (HOUR, 'b')]).never_ending();
    let mut stream = pin!(batched(source, 10, ms(100)));
    let mut polls = 0;

    let mut got = Vec::new();
    for _ in 0..2 {
        let counted = poll_fn(|cx| {
            polls += 1;
            // Said at once: a stream that wakes itself every millisecond would
            // otherwise spin through the hour (millions of polls) first.
            assert!(
                polls <= MAX_POLLS,
                "the stream was polled more than {MAX_POLLS} times for two batches an hour \
                 apart: it wakes itself on a timer (an interval, a short sleep) instead of \
                 waiting for the item or its deadline"
            );
            stream.as_mut().poll_next(cx)
        });
        got.push(timeout(LIMIT, counted).await.expect("the stream hung"));
    }

    assert_eq!(got, [Some(vec!['a']), Some(vec!['b'])]);
}

/// When the source ends, the last partial batch comes out at once, without
/// waiting for its time to run out, and the stream ends with it.
#[tokio::test(start_paused = true)]
async fn the_last_partial_batch_comes_out_when_the_source_ends() {
    let start = Instant::now();
    let source = feed([(0, 'a'), (10, 'b')]).ending_at(ms(30));

    let (got, end) = all_batches(batched(source, 10, ms(1000)), start).await;

    assert_eq!(
        got,
        [(vec!['a', 'b'], ms(30))],
        "the source ended at 30 ms: the batch must come out then, not at its deadline \
         (1000 ms), and not be lost"
    );
    assert_eq!(end, ms(30), "and the stream ends right after it");
}

/// A source that ends right after a full batch, or ends long after it, gives
/// no empty batch at the end.
#[tokio::test(start_paused = true)]
async fn no_empty_batch_at_the_end() {
    let start = Instant::now();
    let (got, end) = all_batches(batched(stream::iter(1..=6), 3, ms(100)), start).await;
    assert_eq!(
        got,
        [
            (vec![1, 2, 3], Duration::ZERO),
            (vec![4, 5, 6], Duration::ZERO)
        ],
        "six items in batches of three are two batches: no empty third one"
    );
    assert_eq!(end, Duration::ZERO);

    let start = Instant::now();
    let source = feed([(0, 1), (10, 2), (20, 3)]).ending_at(ms(500));
    let (got, end) = all_batches(batched(source, 3, ms(100)), start).await;
    assert_eq!(
        got,
        [(vec![1, 2, 3], ms(20))],
        "no empty batch while the source is quiet, nor when it ends"
    );
    assert_eq!(end, ms(500));
}

/// An empty source gives no batch: the stream ends when the source does.
#[tokio::test(start_paused = true)]
async fn an_empty_source_gives_no_batch() {
    let start = Instant::now();
    let (got, end) = all_batches(batched(stream::iter(Vec::<u32>::new()), 3, ms(100)), start).await;
    assert!(got.is_empty(), "no item, no batch: got {got:?}");
    assert_eq!(end, Duration::ZERO);

    let start = Instant::now();
    let source: Feed<u32> = Feed::new([]).ending_at(HOUR);
    let (got, end) = all_batches(batched(source, 3, ms(100)), start).await;
    assert!(got.is_empty(), "no item, no batch: got {got:?}");
    assert_eq!(end, HOUR, "the stream ends when its source does");
}

/// With room for one item, every item is its own batch, handed out the moment
/// it arrives.
#[tokio::test(start_paused = true)]
async fn a_batch_size_of_one_hands_out_every_item_as_it_arrives() {
    let start = Instant::now();
    let source = feed([(0, 'a'), (50, 'b'), (70, 'c')]).never_ending();

    let got = batches(batched(source, 1, HOUR), 3, start).await;

    assert_eq!(
        got,
        [(vec!['a'], ms(0)), (vec!['b'], ms(50)), (vec!['c'], ms(70))]
    );
}

/// A size limit of `usize::MAX` is no limit: batches come out on time and at
/// the end only.
#[tokio::test(start_paused = true)]
async fn a_size_limit_of_usize_max_is_no_limit() {
    let start = Instant::now();
    let source = feed([(0, 1), (10, 2), (200, 3)]).ending_at(ms(250));

    let (got, end) = all_batches(batched(source, usize::MAX, ms(100)), start).await;

    assert_eq!(
        got,
        [(vec![1, 2], ms(100)), (vec![3], ms(250))],
        "room for usize::MAX items must not be reserved up front"
    );
    assert_eq!(end, ms(250));
}

/// A wait of `Duration::MAX` is no time limit: batches come out when full and
/// at the end only.
#[tokio::test(start_paused = true)]
async fn a_wait_of_duration_max_is_no_limit() {
    let start = Instant::now();
    let source = feed([(0, 1), (10, 2), (20, 3), (30, 4)]).ending_at(HOUR);

    let (got, end) = all_batches(batched(source, 3, Duration::MAX), start).await;

    assert_eq!(
        got,
        [(vec![1, 2, 3], ms(20)), (vec![4], HOUR)],
        "now + Duration::MAX overflows an Instant: it must mean `no deadline`"
    );
    assert_eq!(end, HOUR);
}

/// An hour is a time limit like any other.
#[tokio::test(start_paused = true)]
async fn an_hour_long_wait_is_kept_to_the_millisecond() {
    let start = Instant::now();
    let source = Feed::new([(Duration::ZERO, 'a'), (HOUR - ms(1), 'b')]).never_ending();

    let got = batches(batched(source, 10, HOUR), 1, start).await;

    assert_eq!(got, [(vec!['a', 'b'], HOUR)]);
}

/// A caller who comes back late finds the items that arrived meanwhile: a full
/// batch comes out at once, and the clock of the next one starts when it gets
/// its first item.
#[tokio::test(start_paused = true)]
async fn a_late_caller_gets_the_waiting_items_at_once() {
    let start = Instant::now();
    let source = feed([(0, 0), (10, 10), (20, 20), (30, 30), (40, 40)]).never_ending();
    let stream = batched(source, 3, ms(100));
    tokio::time::sleep(ms(500)).await;

    let got = batches(stream, 2, start).await;

    assert_eq!(
        got,
        [(vec![0, 10, 20], ms(500)), (vec![30, 40], ms(600))],
        "the first three items were waiting: they fill a batch at once; the next batch takes \
         the two waiting items at once (500 ms) and is due 100 ms later"
    );
}

/// The stream is lazy: made and not polled, it takes nothing from the source.
#[tokio::test(start_paused = true)]
async fn nothing_is_taken_before_the_first_poll() {
    let source = feed([(0, 1), (0, 2), (0, 3)]).never_ending();
    let probe = source.probe();

    let stream = batched(source, 2, ms(100));
    settle().await;
    tokio::time::sleep(ms(500)).await;

    assert_eq!(
        probe.pulled(),
        0,
        "nobody asked for a batch, yet items were taken from the source (a task reading \
         ahead?)"
    );
    drop(stream);
    assert!(probe.dropped());
}

/// No item is read ahead: after each batch, exactly the items handed out have
/// been taken from the source.
#[tokio::test(start_paused = true)]
async fn no_item_is_read_ahead() {
    let items: Vec<(u64, u32)> = (1..=10).map(|n| (0, n)).collect();
    let source = feed(items).never_ending();
    let probe = source.probe();
    let start = Instant::now();
    let mut stream = pin!(batched(source, 3, ms(100)));

    for taken in [3, 6] {
        let (batch, _) = next_batch(&mut stream, start).await;
        assert_eq!(batch.map(|b| b.len()), Some(3));
        settle().await;
        assert_eq!(
            probe.pulled(),
            taken,
            "after handing out a full batch, the stream must not take the next item \
             before it is asked for another batch"
        );
    }

    let source = feed([(0, 'a'), (30, 'b'), (200, 'c')]).never_ending();
    let probe = source.probe();
    let start = Instant::now();
    let mut stream = pin!(batched(source, 10, ms(100)));
    let (batch, at) = next_batch(&mut stream, start).await;
    assert_eq!((batch, at), (Some(vec!['a', 'b']), ms(100)));
    tokio::time::sleep(ms(200)).await;
    assert_eq!(
        probe.pulled(),
        2,
        "the item of 200 ms must stay in the source until a batch is asked for"
    );
}

/// Once the source has ended, it is never polled again, and the batched
/// stream stays ended.
#[tokio::test(start_paused = true)]
async fn an_ended_source_is_never_polled_again() {
    let source = feed([(0, 'a'), (10, 'b'), (20, 'c')]).ending_at(ms(30));
    let probe = source.probe();
    let start = Instant::now();
    let mut stream = pin!(batched(source, 2, ms(100)));

    let (got, _) = all_batches(stream.as_mut(), start).await;
    assert_eq!(got, [(vec!['a', 'b'], ms(10)), (vec!['c'], ms(30))]);
    for _ in 0..3 {
        let (batch, _) = next_batch(&mut stream, start).await;
        assert_eq!(batch, None, "an ended stream stays ended");
    }

    assert!(probe.ended());
    assert_eq!(
        probe.polled_after_end(),
        0,
        "the source said it ended, yet it was polled again (many streams panic then)"
    );
}

/// Dropping the batched stream drops the source at once, wherever it was:
/// waiting for a first item, half-way through a batch, or between batches.
#[tokio::test(start_paused = true)]
async fn dropping_the_stream_drops_the_source() {
    // Waiting for the first item (due at 1 h).
    let source = Feed::new([(HOUR, 'a')]).never_ending();
    let probe = source.probe();
    let mut stream = Box::pin(batched(source, 10, ms(100)));
    assert!(timeout(ms(50), stream.next()).await.is_err());
    drop(stream);
    assert!(probe.dropped(), "dropped while waiting for the first item");

    // Half-way through a batch: 'a' taken, its deadline 100 ms away.
    let source = Feed::new([(Duration::ZERO, 'a'), (HOUR, 'b')]).never_ending();
    let probe = source.probe();
    let mut stream = Box::pin(batched(source, 10, ms(100)));
    assert!(timeout(ms(50), stream.next()).await.is_err());
    assert_eq!(probe.pulled(), 1);
    drop(stream);
    assert!(probe.dropped(), "dropped half-way through a batch");

    // Between batches.
    let source = Feed::new([(Duration::ZERO, 'a'), (HOUR, 'b')]).never_ending();
    let probe = source.probe();
    let mut stream = Box::pin(batched(source, 1, ms(100)));
    assert_eq!(
        timeout(LIMIT, stream.next()).await.expect("hung"),
        Some(vec!['a'])
    );
    drop(stream);
    assert!(probe.dropped(), "dropped between batches");
    settle().await;
    assert_eq!(probe.pulled(), 1, "nothing read on after the drop");
}

/// It is a plain `Stream`: combinators work before it (on the source) and
/// after it, with any kind of source (`unfold` makes one that is not `Unpin`),
/// and a `take` that stops early drops the source.
#[tokio::test(start_paused = true)]
async fn it_composes_with_stream_combinators() {
    let evens = stream::iter(1..=10u32).filter(|n| ready(n % 2 == 0));
    let sums: Vec<u32> = timeout(
        LIMIT,
        batched(evens, 2, HOUR)
            .map(|batch| batch.iter().sum::<u32>())
            .collect(),
    )
    .await
    .expect("hung");
    assert_eq!(sums, [2 + 4, 6 + 8, 10]);

    let ticks = stream::unfold(0u32, |n| async move {
        tokio::time::sleep(ms(30)).await;
        Some((n, n + 1))
    });
    let start = Instant::now();
    let got = batches(batched(ticks, 10, ms(100)), 2, start).await;
    assert_eq!(
        got,
        [(vec![0, 1, 2, 3], ms(130)), (vec![4, 5, 6, 7], ms(250))],
        "a tick every 30 ms: the first batch starts at 30 ms and is due at 130 ms; the read \
         in flight at 130 ms is not lost (tick 4 still comes at 150 ms, and its batch is due \
         at 250 ms)"
    );

    let source = feed((0..100).map(|n| (n, n))).never_ending();
    let probe = source.probe();
    let lengths: Vec<usize> = timeout(
        LIMIT,
        batched(source.map(|n| n * 2), 4, ms(100))
            .map(|batch| batch.len())
            .take(2)
            .collect(),
    )
    .await
    .expect("hung");
    assert_eq!(lengths, [4, 4]);
    assert_eq!(
        probe.pulled(),
        8,
        "take(2) asked for two batches: eight items"
    );
    assert!(
        probe.dropped(),
        "take(2) was done: the source must be gone with it"
    );
}

/// A size limit of zero is a bug in the call, reported by the call itself,
/// not later at the first poll.
#[tokio::test(start_paused = true)]
async fn a_size_limit_of_zero_panics_at_the_call() {
    let call = std::panic::catch_unwind(|| {
        let stream = batched(stream::iter([1, 2, 3]), 0, ms(100));
        drop(stream);
    });
    assert!(
        call.is_err(),
        "batched(…, 0, …) must panic when it is called: a batch with room for no item \
         cannot be filled"
    );
}

/// The batches keep the items' order, and every item comes out exactly once.
#[tokio::test(start_paused = true)]
async fn every_item_comes_out_once_in_order() {
    let times = [0, 5, 7, 130, 131, 132, 133, 400, 990, 995, 1000, 1004];
    let source = feed(times.iter().map(|&t| (t, t)));
    let start = Instant::now();

    let (got, _) = all_batches(batched(source, 3, ms(50)), start).await;

    let flat: Vec<u64> = got.iter().flat_map(|(batch, _)| batch.clone()).collect();
    assert_eq!(flat, times, "items lost, repeated or reordered");
    let shapes: Vec<(usize, Duration)> = got.iter().map(|(b, at)| (b.len(), *at)).collect();
    assert_eq!(
        shapes,
        [
            (3, ms(7)),
            (3, ms(132)),
            (1, ms(133) + ms(50)),
            (1, ms(450)),
            (3, ms(1000)),
            (1, ms(1004)),
        ]
    );
}
