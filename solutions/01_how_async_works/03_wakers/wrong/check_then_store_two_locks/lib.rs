//! Wrong: I read the flag, let the lock go, and only then lock again to park the waker; shorter critical sections.
//! Class: check-then-store race (two locks)
//! Breaks: "If `poll` reads the flag, then unlocks, then stores the waker, a `set` on another thread can run in between: it finds no waker, wakes nobody" (README.md)

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
        let waker = {
            let mut state = self.state.lock().unwrap();
            state.set = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

}

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let is_set = self.flag.state.lock().unwrap().set;
        if is_set {
            return Poll::Ready(());
        }
        self.flag.state.lock().unwrap().waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
