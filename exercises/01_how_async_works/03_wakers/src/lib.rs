//! Wakers: read README.md beside this folder, then make the tests pass.

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
        let _ = &self.state.lock().unwrap().waker;
        todo!("set the flag, then wake the stored waker")
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
        let _ = (self.flag.state.lock().unwrap().set, cx);
        todo!("Ready if the flag is set, else store this poll's waker")
    }
}
