//! Wrong: the count is taken inside the spawned task, so it is 0 until the task first runs

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::task::JoinHandle;

/// Spawns jobs as Tokio tasks and counts how many of them are still running.
/// Clones share one count.
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    running: Arc<AtomicUsize>,
}

struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
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
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let running = Arc::clone(&self.running);
        tokio::spawn(async move {
            running.fetch_add(1, Ordering::SeqCst);
            let _running = Running(running);
            job.await
        })
    }

    /// How many spawned jobs have not ended yet.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }
}
