//! Wrong: `unpark` before `park` is not lost, so the park token is my "woken" mark and I need no flag.
//! Class: spurious wake-up trusted (park returns without a wake)
//! Breaks: "The docs allow `park` to return spuriously too, so pair it with an `AtomicBool` "woken" flag and park in a loop until the flag is set." (README.md)

use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

struct ThreadWaker {
    thread: Thread,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.thread.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.thread.unpark();
    }
}

/// Runs `future` to completion on the current thread and returns its output.
///
/// Polls once, then again only after the future's waker has been called: a pending
/// future costs no CPU while it waits.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker {
        thread: thread::current(),
    }));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        thread::park();
    }
}
