//! Wrong: keeps `Rc<Cell<usize>>` and uses `spawn_local` to avoid `Send`: it panics outside a `LocalSet`, and the tracker cannot move to another thread

use std::cell::Cell;
use std::rc::Rc;

use tokio::task::JoinHandle;

/// Spawns jobs as Tokio tasks and counts how many of them are still running.
/// Clones share one count.
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    running: Rc<Cell<usize>>,
}

struct Running(Rc<Cell<usize>>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

impl Tracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Spawns `job` as a task of its own. The job counts as running from this call until
    /// its task ends, however it ends: finished, panicked or aborted.
    pub fn spawn<F>(&self, job: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.running.set(self.running.get() + 1);
        let running = Running(Rc::clone(&self.running));
        tokio::task::spawn_local(async move {
            let _running = running;
            job.await
        })
    }

    /// How many spawned jobs have not ended yet.
    pub fn running(&self) -> usize {
        self.running.get()
    }
}
