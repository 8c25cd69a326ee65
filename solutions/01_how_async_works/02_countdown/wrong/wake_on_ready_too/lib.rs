//! Wrong: I wake the task on every poll, including the Ready one, to be safe.
//! Class: spurious wake (on Ready)
//! Breaks: "So `Pending` carries a promise: "I have arranged for `cx.waker()` to be called when it is worth polling me again"" (README.md)

use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that returns `Pending` `n` times, then `Ready("liftoff")`.
///
/// Each `Pending` comes with a wake-up, so an executor polls it again right away.
#[derive(Debug)]
pub struct Countdown {
    remaining: u32,
}

impl Countdown {
    /// A countdown that needs `n` more polls before it is ready.
    pub fn new(n: u32) -> Self {
        Countdown { remaining: n }
    }
}

impl Future for Countdown {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        cx.waker().wake_by_ref();
        if self.remaining == 0 {
            return Poll::Ready("liftoff");
        }
        self.remaining -= 1;
        Poll::Pending
    }
}
