//! Wrong: `Wait` stores a waker only if none is stored yet, so later polls keep the first one.
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// A one-shot flag that one task can wait on: `set` it from anywhere (another task,
/// another thread), and the waiting task wakes up.
#[derive(Clone, Debug, Default)]
pub struct Flag {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    set: bool,
    /// The waker of the latest poll that found the flag unset.
    waker: Option<Waker>,
}

impl Flag {
    /// A flag that is not set yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the flag and wakes the task waiting on it, if any.
    pub fn set(&self) {
        let waker = {
            let mut state = self.state.lock().unwrap();
            state.set = true;
            state.waker.take()
        };
        // Wake after unlocking: the woken task may be polled at once on another thread,
        // and its first move is to take this lock.
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// A future that is ready once the flag is set.
    pub fn wait(&self) -> Wait {
        Wait { flag: self.clone() }
    }
}

/// The future returned by [`Flag::wait`].
#[derive(Debug)]
pub struct Wait {
    flag: Flag,
}

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Check the flag and store the waker under one lock: if `set` could run between
        // the two, it would find no waker to wake, and this future would sleep forever.
        let mut state = self.flag.state.lock().unwrap();
        if state.set {
            return Poll::Ready(());
        }
        // The future may have moved to another task since the last poll: keep the
        // waker of *this* poll. `will_wake` skips the clone when nothing changed.
        if state.waker.is_none() {
            state.waker = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}
