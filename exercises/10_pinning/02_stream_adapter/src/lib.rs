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

    /// Returns `Pending` only after the inner stream, or the open chunk's `Sleep`, has
    /// returned `Pending` in this very call: their `Pending` is what registers a wake-up.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let _ = (self.project(), cx);
        todo!(
            "take the ready items, yield a full chunk, an ended stream's rest, or a chunk whose period has passed"
        )
    }

    /// Lower: the fewest chunks the items still to come can make, those buffered
    /// included (`ceil(n / max)`, the sum saturating at `usize::MAX`). Upper: one chunk
    /// per item at most (a timer may flush a chunk of one), plus the open chunk; `None`
    /// if that does not fit in a `usize`. After the end, `(0, Some(0))`.
    fn size_hint(&self) -> (usize, Option<usize>) {
        todo!("chunks, from the inner stream's hint and the buffered items")
    }
}
