//! Wrong: I park with a 10 ms timeout so a missed unpark can never hang the executor.
//! Class: timer re-polling (polls without a wake)
//! Breaks: "after a `Pending` it must poll again only once the waker has been called." (README.md)

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

struct ThreadWaker {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

/// Runs `future` to completion on the current thread and returns its output.
///
/// Polls once, then again only after the future's waker has been called: a pending
/// future costs no CPU while it waits.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let thread_waker = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(thread_waker.clone());
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        if !thread_waker.woken.swap(false, Ordering::Acquire) {
            // Safety net: never sleep longer than 10 ms.
            thread::park_timeout(Duration::from_millis(10));
            thread_waker.woken.store(false, Ordering::Release);
        }
    }
}
