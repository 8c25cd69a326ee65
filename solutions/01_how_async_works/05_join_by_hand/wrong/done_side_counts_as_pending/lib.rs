//! Wrong: `poll_done` answers `false` for a side that is already `Done`, so a join whose sides finish on different polls is never ready.
use std::mem;
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
        if let Side::Running(future) = self {
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                *self = Side::Done(output);
                return true;
            }
        }
        false
    }

    /// Moves the output out, once.
    fn take_output(&mut self) -> F::Output {
        match mem::replace(self, Side::Taken) {
            Side::Done(output) => output,
            _ => panic!("Join polled again after it returned Ready"),
        }
    }
}

/// Runs two futures concurrently on the current task; ready with both outputs, in
/// argument order, once both are done.
pub struct Join<A: Future, B: Future> {
    a: Side<A>,
    b: Side<B>,
}

// `Join` never hands out a `Pin` to anything stored inline: the futures are pinned in
// their boxes and the outputs are never pinned. So moving a `Join` is harmless, even
// when the outputs are not `Unpin`, and `poll` may use `Pin::get_mut`.
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
        // Poll both, every time: `a_done && b.poll_done(cx)` would skip `b` while `a`
        // is pending, and `b` would never register its waker.
        let a_done = this.a.poll_done(cx);
        let b_done = this.b.poll_done(cx);
        if a_done && b_done {
            Poll::Ready((this.a.take_output(), this.b.take_output()))
        } else {
            // Each pending side has stored `cx`'s waker: whichever finishes first wakes
            // this task, and the next poll picks it up.
            Poll::Pending
        }
    }
}
