//! A `Stream` adapter by hand: `ChunksTimeout` batches an inner stream's items by size
//! or by time, whichever comes first.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::Stream;
use pin_project_lite::pin_project;
use tokio::time::Sleep;

pin_project! {
    /// Yields the inner stream's items in chunks (`Vec`s) of at most `max` items.
    ///
    /// - A chunk is yielded as soon as it holds `max` items.
    /// - A chunk that is not full is yielded `period` after its *first* item arrived (an
    ///   item that arrives at that very instant may still join it, or open the next).
    /// - When the inner stream ends, the partial chunk (if any) is yielded at once, then
    ///   `None`, and `None` again on every later poll: the inner stream is never polled
    ///   after it has ended.
    /// - No chunk is ever empty, and no item is lost or reordered.
    #[must_use = "streams do nothing unless polled"]
    pub struct ChunksTimeout<S: Stream> {
        #[pin]
        inner: S,
        // Armed when a chunk gets its first item; `None` while no chunk is open.
        #[pin]
        deadline: Option<Sleep>,
        items: Vec<S::Item>,
        max: usize,
        period: Duration,
        // The inner stream has returned `None`.
        done: bool,
    }
}

impl<S: Stream> ChunksTimeout<S> {
    /// Batches `inner` into chunks of at most `max` items, or `period` after a chunk's
    /// first item. Panics if `max` is 0.
    pub fn new(inner: S, max: usize, period: Duration) -> Self {
        assert!(max > 0, "a chunk holds at least one item");
        ChunksTimeout {
            inner,
            deadline: None,
            items: Vec::with_capacity(max),
            max,
            period,
            done: false,
        }
    }
}

impl<S: Stream> Stream for ChunksTimeout<S> {
    type Item = Vec<S::Item>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        if *this.done {
            return Poll::Ready(None);
        }
        // Take every item that is ready: the loop ends only with the inner stream's
        // `Pending`, which has registered our waker, or with a chunk to yield.
        loop {
            match this.inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => {
                    if this.items.is_empty() {
                        this.deadline.set(Some(tokio::time::sleep(*this.period)));
                    }
                    this.items.push(item);
                    if this.items.len() >= *this.max {
                        this.deadline.set(None);
                        return Poll::Ready(Some(std::mem::take(this.items)));
                    }
                }
                Poll::Ready(None) => {
                    *this.done = true;
                    this.deadline.set(None);
                    let last = std::mem::take(this.items);
                    return Poll::Ready((!last.is_empty()).then_some(last));
                }
                Poll::Pending => break,
            }
        }
        // A chunk is open: polling its timer registers the wake-up at its deadline.
        if let Some(deadline) = this.deadline.as_mut().as_pin_mut()
            && deadline.poll(cx).is_ready()
        {
            this.deadline.set(None);
            return Poll::Ready(Some(std::mem::take(this.items)));
        }
        Poll::Pending
    }

    /// Lower: the fewest chunks the items still to come can make, those buffered
    /// included (`ceil(n / max)`, the sum saturating at `usize::MAX`). Upper: one chunk
    /// per item at most (a timer may flush a chunk of one), plus the open chunk; `None`
    /// if that does not fit in a `usize`. After the end, `(0, Some(0))`.
    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            return (0, Some(0));
        }
        let (lower, upper) = self.inner.size_hint();
        let buffered = self.items.len();
        let lower = lower.saturating_add(buffered).div_ceil(self.max);
        let open = usize::from(buffered > 0);
        (lower, upper.and_then(|upper| upper.checked_add(open)))
    }
}
