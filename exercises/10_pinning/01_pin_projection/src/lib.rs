//! A `Timeout<F>` written by hand: a future that holds another future and a timer, and
//! reaches both through a pin projection.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use pin_project_lite::pin_project;
use tokio::sync::mpsc;
use tokio::time::{Instant, Sleep};

/// The deadline passed before the inner future finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the deadline passed before the future finished")]
pub struct Elapsed;

pin_project! {
    /// A future that gives the inner future's output as `Ok`, or `Err(Elapsed)` once its
    /// deadline has passed; the inner future is dropped with the `Timeout`.
    ///
    /// `F` may be any future, `!Unpin` ones (every `async fn` and `async` block) included.
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct Timeout<F> {
        // TODO: which fields are polled through a `Pin<&mut _>`? Mark them `#[pin]`.
        inner: F,
        sleep: Sleep,
    }
}

impl<F> Timeout<F> {
    /// Wraps `inner` with a deadline `limit` from now: the clock starts when the
    /// `Timeout` is created, not when it is first polled. Any `limit` goes, zero (work
    /// ready at its first poll is still in time) up to `Duration::MAX` (a deadline the
    /// clock never reaches, as with `tokio::time::sleep`).
    pub fn new(inner: F, limit: Duration) -> Self {
        let _ = inner;
        todo!("hold `inner` and a tokio::time::sleep({limit:?})")
    }

    /// When the `Timeout` gives up.
    pub fn deadline(&self) -> Instant {
        todo!("ask the Sleep")
    }

    /// Moves the deadline to `deadline`, earlier or later, even after the `Timeout` has
    /// been polled: the timer then wakes the task at the new deadline, not the old one.
    pub fn reset(self: Pin<&mut Self>, deadline: Instant) {
        let _ = (self.project(), deadline);
        todo!("reset the Sleep, reached through the projection")
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    /// Polls the inner future first: an inner future that is ready at the deadline has
    /// finished in time. Only then the timer, whose poll registers the wake-up at the
    /// deadline.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let _ = (self.project(), cx);
        todo!("project, poll the inner future, then the Sleep")
    }
}

/// Runs `work` with an idle deadline: it fails with `Elapsed` once `idle` has passed
/// since it started or since the last message on `keepalive`, whichever is later. Each
/// keepalive moves the deadline to *its* arrival (the moment `with_keepalive` receives
/// it) + `idle`. When every sender is gone the deadline stands where it is: no more
/// extensions, but no early failure either. A keepalive that arrives at the very instant
/// of the deadline is a tie, which may go either way: it may save the work or come too
/// late. Any `idle` goes, as with [`Timeout::new`]: up to `Duration::MAX`, a deadline
/// the clock never reaches, keepalives or not.
pub async fn with_keepalive<F: Future>(
    work: F,
    idle: Duration,
    keepalive: mpsc::Receiver<()>,
) -> Result<F::Output, Elapsed> {
    let _ = (work, keepalive);
    todo!("pin a Timeout over `work` and reset it by {idle:?} on every keepalive")
}
