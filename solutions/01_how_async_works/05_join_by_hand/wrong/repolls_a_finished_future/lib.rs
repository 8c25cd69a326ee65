//! Wrong: keeps each future beside an `Option` of its output and polls both every time, finished or not.

use std::pin::Pin;
use std::task::{Context, Poll};

/// Runs two futures concurrently on the current task; ready with both outputs, in
/// argument order, once both are done.
pub struct Join<A: Future, B: Future> {
    a: Pin<Box<A>>,
    b: Pin<Box<B>>,
    a_output: Option<A::Output>,
    b_output: Option<B::Output>,
}

// The futures are pinned in their boxes; nothing inline is ever pinned.
impl<A: Future, B: Future> Unpin for Join<A, B> {}

/// Joins two futures: awaiting the result polls both on one task and gives `(a, b)`.
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    Join {
        a: Box::pin(a),
        b: Box::pin(b),
        a_output: None,
        b_output: None,
    }
}

impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // Poll both, every time, and keep whatever output comes in.
        if let Poll::Ready(output) = this.a.as_mut().poll(cx) {
            this.a_output = Some(output);
        }
        if let Poll::Ready(output) = this.b.as_mut().poll(cx) {
            this.b_output = Some(output);
        }
        if this.a_output.is_some() && this.b_output.is_some() {
            Poll::Ready((this.a_output.take().unwrap(), this.b_output.take().unwrap()))
        } else {
            Poll::Pending
        }
    }
}
