//! The given part of kata 41: [`Feed`], a scripted source of items that
//! arrive at set times on tokio's clock, and its [`Probe`], which tells the
//! tests what was taken from the feed and when it was dropped. You do not need
//! to change this file; the tests and the reference solution use it as it is.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::Stream;
use tokio::time::{Instant, Sleep};

/// A stream of items that arrive at set times, like messages on a queue: item
/// `(at, value)` can be taken from `at` after the feed was made; asked for
/// earlier, the feed waits until then. An item that arrived while nobody was
/// asking waits in the feed and is handed out at once when asked for.
///
/// By default the feed ends as soon as its last item has been taken;
/// [`ending_at`](Self::ending_at) and [`never_ending`](Self::never_ending)
/// change that.
pub struct Feed<T> {
    start: Instant,
    items: VecDeque<(Duration, T)>,
    /// When the feed ends, measured from `start`; `None`: never.
    end: Option<Duration>,
    /// The timer for the next item (or the end), kept between polls.
    wait: Option<Pin<Box<Sleep>>>,
    probe: Arc<ProbeState>,
}

#[derive(Debug, Default)]
struct ProbeState {
    pulled: AtomicUsize,
    ended: AtomicBool,
    polled_after_end: AtomicUsize,
    dropped: AtomicBool,
}

impl<T> Feed<T> {
    /// A feed of `items`, each `(at, value)` arriving `at` after now. It
    /// ends as soon as the last item has been taken.
    ///
    /// # Panics
    /// If the times are not in order.
    pub fn new(items: impl IntoIterator<Item = (Duration, T)>) -> Self {
        let items: VecDeque<(Duration, T)> = items.into_iter().collect();
        assert!(
            items
                .iter()
                .zip(items.iter().skip(1))
                .all(|(a, b)| a.0 <= b.0),
            "a feed's items must be in the order of their times"
        );
        let end = items.back().map_or(Duration::ZERO, |(at, _)| *at);
        Self {
            start: Instant::now(),
            items,
            end: Some(end),
            wait: None,
            probe: Arc::default(),
        }
    }

    /// The feed ends at `at` after it was made (or after its last item, if
    /// that comes later), instead of right after its last item.
    pub fn ending_at(mut self, at: Duration) -> Self {
        self.end = Some(self.end.map_or(at, |end| end.max(at)));
        self
    }

    /// The feed never ends: after its last item it waits for ever, like a
    /// queue whose producer is still there but quiet.
    pub fn never_ending(mut self) -> Self {
        self.end = None;
        self
    }

    /// A probe that watches this feed (and keeps watching after it moved).
    pub fn probe(&self) -> Probe {
        Probe(Arc::clone(&self.probe))
    }
}

// The items are only moved in and out of the queue, never pinned, and the
// timer is boxed: a `Feed` may move whatever `T` is.
impl<T> Unpin for Feed<T> {}

impl<T> Stream for Feed<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // `Feed` is `Unpin`, so it can be used as `&mut`.
        let this = self.get_mut();
        if this.probe.ended.load(Ordering::SeqCst) {
            // A stream that has ended owes nothing more; this one says so,
            // and the probe remembers that it was asked.
            this.probe.polled_after_end.fetch_add(1, Ordering::SeqCst);
            return Poll::Ready(None);
        }
        let due = match this.items.front() {
            Some((at, _)) => Some(*at),
            None => this.end,
        };
        let Some(due) = due.map(|at| this.start + at) else {
            // Never ending and empty: nothing will ever happen, so there is
            // nobody to wake.
            return Poll::Pending;
        };
        if Instant::now() < due {
            let wait = this
                .wait
                .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(due)));
            if wait.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
        }
        this.wait = None;
        match this.items.pop_front() {
            Some((_, item)) => {
                this.probe.pulled.fetch_add(1, Ordering::SeqCst);
                Poll::Ready(Some(item))
            }
            None => {
                this.probe.ended.store(true, Ordering::SeqCst);
                Poll::Ready(None)
            }
        }
    }
}

impl<T> Drop for Feed<T> {
    fn drop(&mut self) {
        self.probe.dropped.store(true, Ordering::SeqCst);
    }
}

impl<T> std::fmt::Debug for Feed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed")
            .field("items_left", &self.items.len())
            .field("end", &self.end)
            .finish_non_exhaustive()
    }
}

/// What happened to a [`Feed`], seen from outside.
#[derive(Debug, Clone)]
pub struct Probe(Arc<ProbeState>);

impl Probe {
    /// How many items were taken from the feed.
    pub fn pulled(&self) -> usize {
        self.0.pulled.load(Ordering::SeqCst)
    }

    /// Whether the feed has said it ended (`None`).
    pub fn ended(&self) -> bool {
        self.0.ended.load(Ordering::SeqCst)
    }

    /// How many times the feed was polled again after it had ended.
    pub fn polled_after_end(&self) -> usize {
        self.0.polled_after_end.load(Ordering::SeqCst)
    }

    /// Whether the feed was dropped.
    pub fn dropped(&self) -> bool {
        self.0.dropped.load(Ordering::SeqCst)
    }
}
