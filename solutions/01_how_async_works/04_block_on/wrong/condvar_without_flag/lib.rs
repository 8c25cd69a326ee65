//! Wrong: `block_on` waits on a `Condvar` with no flag beside it, so a wake that comes during the poll, before the wait, is lost.

use std::pin::pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// Wakes the thread that runs `block_on` by notifying its condition variable.
struct CondvarWaker {
    lock: Mutex<()>,
    condvar: Condvar,
}

impl Wake for CondvarWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let _guard = self.lock.lock().unwrap();
        self.condvar.notify_one();
    }
}

/// Runs `future` to completion on the current thread and returns its output.
///
/// Polls once, then again only after the future's waker has been called: a pending
/// future costs no CPU while it waits.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let condvar_waker = Arc::new(CondvarWaker {
        lock: Mutex::new(()),
        condvar: Condvar::new(),
    });
    let waker = Waker::from(condvar_waker.clone());
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        let guard = condvar_waker.lock.lock().unwrap();
        let _guard = condvar_waker.condvar.wait(guard).unwrap();
    }
}
