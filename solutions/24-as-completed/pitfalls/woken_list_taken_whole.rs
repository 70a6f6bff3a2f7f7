//! Pitfall: a hand-written set that takes the whole list of woken futures
//! on each poll, and returns at the first output.
//!
//! Polling only the futures that were woken is the right idea (it is what
//! `FuturesUnordered` does). But this one empties the list of woken indices,
//! polls them in turn, and returns as soon as one is ready: the others woken
//! at the same instant are dropped from the list, and since their timers have
//! fired, nothing will ever wake them again. With distinct completion times it
//! works; two futures completing together, and the second is lost for good.
//!
//! Caught by: futures_completing_together_all_come_out_at_that_instant, ten_thousand_futures_in_ten_ties_each_come_out_at_their_instant

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use futures::StreamExt;
use futures::stream::BoxStream;

#[derive(Default)]
struct Woken {
    indices: Mutex<Vec<usize>>,
    consumer: Mutex<Option<Waker>>,
}

struct One {
    index: usize,
    woken: Arc<Woken>,
}

impl Wake for One {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.indices.lock().unwrap().push(self.index);
        if let Some(waker) = self.woken.consumer.lock().unwrap().as_ref() {
            waker.wake_by_ref();
        }
    }
}

type Slot<'a, T> = Option<(Pin<Box<dyn Future<Output = T> + Send + 'a>>, Waker)>;

struct AsCompleted<'a, T> {
    slots: Vec<Slot<'a, T>>,
    left: usize,
    woken: Arc<Woken>,
}

impl<T> futures::Stream for AsCompleted<'_, T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        *self.woken.consumer.lock().unwrap() = Some(cx.waker().clone());
        let woken = std::mem::take(&mut *self.woken.indices.lock().unwrap());
        for index in woken {
            let Some((future, waker)) = self.slots[index].as_mut() else {
                continue;
            };
            let waker = waker.clone();
            if let Poll::Ready(out) = future.as_mut().poll(&mut Context::from_waker(&waker)) {
                self.slots[index] = None;
                self.left -= 1;
                return Poll::Ready(Some(out));
            }
        }
        Poll::Pending
    }
}

pub fn as_completed<'a, F>(futures: impl IntoIterator<Item = F>) -> BoxStream<'a, F::Output>
where
    F: Future + Send + 'a,
    F::Output: Send + 'a,
{
    let woken = Arc::new(Woken::default());
    let slots: Vec<Slot<'a, F::Output>> = futures
        .into_iter()
        .enumerate()
        .map(|(index, f)| {
            woken.indices.lock().unwrap().push(index);
            let waker = Waker::from(Arc::new(One {
                index,
                woken: Arc::clone(&woken),
            }));
            Some((
                Box::pin(f) as Pin<Box<dyn Future<Output = F::Output> + Send + 'a>>,
                waker,
            ))
        })
        .collect();
    let left = slots.len();
    AsCompleted { slots, left, woken }.boxed()
}
