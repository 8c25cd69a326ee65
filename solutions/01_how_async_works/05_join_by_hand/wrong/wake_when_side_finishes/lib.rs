//! Wrong: when a side finishes I wake the task once, so the other side gets a fresh poll with the news.
//! Class: spurious wake (one extra per completion)
//! Breaks: "The join never wakes anything itself: the inner futures' wakes reach its task." (hints.md)

use std::pin::Pin;
use std::task::{Context, Poll};

/// One side of a [`Join`]: the future while it runs, then its output until `Join`
/// hands it out.
enum Side<F: Future> {
    /// Boxed, so the future stays put however `Join` moves: `Pin<Box<F>>` is `Unpin`.
    Running(Pin<Box<F>>),
    Done(F::Output),
    Taken,
}

impl<F: Future> Side<F> {
    /// Polls the future if it is still running. Returns `true` once its output is in.
    /// A finished future is never polled again: its output is kept instead.
    fn poll_done(&mut self, cx: &mut Context<'_>) -> bool {
        match self {
            Side::Running(future) => match future.as_mut().poll(cx) {
                Poll::Ready(output) => {
                    *self = Side::Done(output);
                    // Let the join know something changed.
                    cx.waker().wake_by_ref();
                    true
                }
                Poll::Pending => false,
            },
            Side::Done(_) => true,
            Side::Taken => panic!("output already taken"),
        }
    }
    /// Moves the output out, once.
    fn take_output(&mut self) -> F::Output {
        match std::mem::replace(self, Side::Taken) {
            Side::Done(output) => output,
            _ => panic!("no output to take"),
        }
    }

}
/// Runs two futures concurrently on the current task; ready with both outputs, in
/// argument order, once both are done.
pub struct Join<A: Future, B: Future> {
    a: Side<A>,
    b: Side<B>,
}

impl<A: Future, B: Future> Unpin for Join<A, B> {}

/// Joins two futures: awaiting the result polls both on one task and gives `(a, b)`.
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    Join {
        a: Side::Running(Box::pin(a)),
        b: Side::Running(Box::pin(b)),
    }
}

impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let a_done = this.a.poll_done(cx);
        let b_done = this.b.poll_done(cx);
        if a_done && b_done {
            Poll::Ready((this.a.take_output(), this.b.take_output()))
        } else {
            Poll::Pending
        }
    }
}
