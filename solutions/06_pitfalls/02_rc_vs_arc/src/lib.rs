//! `Rc` vs `Arc`, and `Send + 'static`: read README.md beside this folder, then make the
//! tests pass.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::task::JoinHandle;

/// Spawns jobs as Tokio tasks and counts how many of them are still running.
/// Clones share one count.
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    // Tasks on other threads change the count: an atomic count (`Arc`) of an atomic
    // integer, where `Rc<Cell<_>>` would be neither `Send` nor `Sync`.
    running: Arc<AtomicUsize>,
}

/// One running job: releases its count when dropped, which every way a task can end
/// (finishing, panicking, being aborted) does.
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
    /// its task ends, however it ends: finished, panicked or aborted (an aborted task
    /// ends when the runtime drops its future, not inside `abort()`).
    pub fn spawn<F>(&self, job: F) -> JoinHandle<F::Output>
    where
        // What `tokio::spawn` needs, stated here so a caller with a non-`Send` or
        // borrowing job gets the error at its own call site.
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // Count now, not when the task first runs: the job is running as far as the
        // caller can tell the moment `spawn` returns.
        self.running.fetch_add(1, Ordering::SeqCst);
        // Created here and moved into the task, so it is dropped even if the task is
        // aborted before its first poll and never runs a line of its body.
        let running = Running(Arc::clone(&self.running));
        tokio::spawn(async move {
            let _running = running;
            job.await
        })
    }

    /// How many spawned jobs have not ended yet.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }
}
