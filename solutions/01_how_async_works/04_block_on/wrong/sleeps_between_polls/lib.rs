//! Wrong: `block_on` re-polls on a timer (sleeps 1ms after each `Pending`) with `Waker::noop()`, instead of waiting for the wake.

use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

/// Runs `future` to completion on the current thread and returns its output.
///
/// Polls once, then again only after the future's waker has been called: a pending
/// future costs no CPU while it waits.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // Not ready: give it a moment, then look again.
        thread::sleep(Duration::from_millis(1));
    }
}
