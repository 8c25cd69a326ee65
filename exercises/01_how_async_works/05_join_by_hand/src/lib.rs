//! `join` by hand: read README.md beside this folder, then make the tests pass.

use std::pin::Pin;
use std::task::{Context, Poll};

/// One side of a [`Join`]: the future while it runs, then its output until `Join`
/// hands it out.
#[allow(dead_code)]
enum Side<F: Future> {
    /// Boxed, so the future stays put however `Join` moves: `Pin<Box<F>>` is `Unpin`.
    Running(Pin<Box<F>>),
    Done(F::Output),
    Taken,
}

#[allow(dead_code)]
impl<F: Future> Side<F> {
    /// Polls the future if it is still running. Returns `true` once its output is in.
    /// A finished future is never polled again: its output is kept instead.
    fn poll_done(&mut self, cx: &mut Context<'_>) -> bool {
        let _ = cx;
        todo!("poll the running future, keep its output when Ready")
    }

    /// Moves the output out, once.
    fn take_output(&mut self) -> F::Output {
        todo!("replace self with Side::Taken and return the Done output")
    }
}

/// Runs two futures concurrently on the current task; ready with both outputs, in
/// argument order, once both are done.
#[allow(dead_code)]
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
        let _ = cx;
        todo!("poll both sides, Ready when both are done")
    }
}
