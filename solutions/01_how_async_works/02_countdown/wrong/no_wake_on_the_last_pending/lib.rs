//! Wrong: wakes only while some count is left after this poll, so the last `Pending` wakes nobody.
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
        // `Countdown` only holds a `u32`, so it is `Unpin`: `Pin<&mut Self>` gives plain
        // `&mut` access to the fields.
        if self.remaining == 0 {
            return Poll::Ready("liftoff");
        }
        self.remaining -= 1;
        // Returning `Pending` is a promise to wake the task when progress is possible.
        // Progress is possible right now, so ask to be polled again at once.
        if self.remaining > 0 {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }
}
