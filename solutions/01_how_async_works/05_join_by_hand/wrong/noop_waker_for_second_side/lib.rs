//! Wrong: one registered waker is enough to bring the task back, so while a is pending b gets a no-op waker.
//! Class: wrong waker handed to an inner future (lost wake)
//! Breaks: "Both inner futures store the same waker, the task's." (README.md)

use std::task::Waker;
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
        // a will wake the task anyway while it is pending; b only needs the real waker
        // once it is the last one running.
        let b_done = if a_done {
            this.b.poll_done(cx)
        } else {
            let mut quiet = Context::from_waker(Waker::noop());
            this.b.poll_done(&mut quiet)
        };
        if a_done && b_done {
            Poll::Ready((this.a.take_output(), this.b.take_output()))
        } else {
            Poll::Pending
        }
    }
}
