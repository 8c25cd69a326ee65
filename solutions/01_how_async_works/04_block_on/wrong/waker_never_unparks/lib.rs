//! Wrong: the waker sets the flag but never unparks the thread, so a wake from another thread leaves `block_on` parked forever.
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// Wakes the thread that runs `block_on`.
struct ThreadWaker {
    thread: Thread,
    /// Set by a wake, cleared by `block_on` before it polls again. `park` may return
    /// without any `unpark` (a spurious wake-up): the flag tells the two apart.
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
    }
}

/// Runs `future` to completion on the current thread and returns its output.
///
/// Polls once, then again only after the future's waker has been called: a pending
/// future costs no CPU while it waits.
pub fn block_on<F: Future>(future: F) -> F::Output {
    // Pinned on this stack frame, which outlives every poll: no `Unpin` bound, no box.
    let mut future = pin!(future);
    let thread_waker = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(thread_waker.clone());
    let mut cx = Context::from_waker(&waker);

    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // A wake that came during the poll already set the flag: poll again at once.
        // Otherwise sleep until one comes; a token from `unpark` is never lost, even if
        // it arrives before `park`.
        while !thread_waker.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}
