//! Wrong: I wake the stored waker while still holding the lock, so nothing can change in between.
//! Class: waking under a lock (re-entrancy deadlock)
//! Breaks: "Waking while holding the lock works, but the woken task may be polled immediately on another thread and block on that very lock: take the waker out, unlock, then wake." (README.md)

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

/// The future returned by [`Flag::wait`].
#[derive(Debug)]
pub struct Wait {
    flag: Flag,
}

impl Flag {
    /// A flag that is not set yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A future that is ready once the flag is set.
    pub fn wait(&self) -> Wait {
        Wait { flag: self.clone() }
    }

    /// Sets the flag and wakes the task waiting on it, if any.
    pub fn set(&self) {
        let mut state = self.state.lock().unwrap();
        state.set = true;
        if let Some(waker) = &state.waker {
            waker.wake_by_ref();
        }
    }
}

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.flag.state.lock().unwrap();
        if state.set {
            return Poll::Ready(());
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

