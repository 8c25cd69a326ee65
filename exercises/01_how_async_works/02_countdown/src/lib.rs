//! A future written by hand: read README.md beside this folder, then make the tests pass.

use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that returns `Pending` `n` times, then `Ready("liftoff")`.
///
/// Each `Pending` comes with a wake-up of that poll's waker, so an executor polls it
/// again right away; `Ready` comes with none.
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

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let _ = cx;
        todo!("count down from {}", self.remaining)
    }
}
