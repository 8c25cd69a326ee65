//! Backpressure and load shedding: read README.md beside this folder, then make the
//! tests pass.

use std::time::Duration;

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{Semaphore, TryAcquireError, mpsc};
use tokio::task::JoinHandle;

/// Why a job was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    /// At capacity right now: the caller may try again later, or give up.
    #[error("busy: at capacity, try again later")]
    Busy,
    /// The worker is gone: no later try will succeed.
    #[error("closed: the worker has stopped")]
    Closed,
}

/// The front door of a worker: a bounded queue of jobs (job ids).
#[derive(Debug, Clone)]
pub struct Queue {
    jobs: mpsc::Sender<u32>,
}

/// Starts a worker that takes jobs from a queue holding at most `capacity` waiting jobs
/// (the one it is working on does not count) and spends `cost` on each, one at a time.
/// Returns the queue and the worker's task, which returns the ids of the jobs it did,
/// in order, once every `Queue` is dropped and the queue is drained.
///
/// Panics if `capacity` is 0 (as `mpsc::channel` does).
pub fn spawn_worker(capacity: usize, cost: Duration) -> (Queue, JoinHandle<Vec<u32>>) {
    let (jobs, mut inbox) = mpsc::channel(capacity);
    let worker = tokio::spawn(async move {
        let mut done = Vec::new();
        while let Some(job) = inbox.recv().await {
            tokio::time::sleep(cost).await;
            done.push(job);
        }
        done
    });
    (Queue { jobs }, worker)
}

impl Queue {
    /// Backpressure: queues `job`, waiting while the queue is full.
    /// `Err(Rejected::Closed)` if the worker is gone.
    pub async fn submit(&self, job: u32) -> Result<(), Rejected> {
        self.jobs.send(job).await.map_err(|_| Rejected::Closed)
    }

    /// Load shedding: queues `job` if there is room right now, and never waits.
    /// `Err(Rejected::Busy)` when the queue is full, `Err(Rejected::Closed)` if the
    /// worker is gone.
    pub fn try_submit(&self, job: u32) -> Result<(), Rejected> {
        self.jobs.try_send(job).map_err(|err| match err {
            TrySendError::Full(_) => Rejected::Busy,
            TrySendError::Closed(_) => Rejected::Closed,
        })
    }

    /// How many jobs are waiting in the queue (not counting the one being worked on, nor
    /// callers still waiting in `submit` for room; 0 once the worker is gone, its queue
    /// thrown away with it).
    pub fn depth(&self) -> usize {
        // capacity() is the room left: it goes down on a send, up when the worker
        // receives.
        self.jobs.max_capacity() - self.jobs.capacity()
    }
}

/// A limit on work in flight, for work that has no queue: at most `limit` at once.
#[derive(Debug)]
pub struct Limiter {
    permits: Semaphore,
    limit: usize,
}

impl Limiter {
    /// A limiter that lets `limit` pieces of work run at once (with 0, none: every
    /// `try_run` is refused).
    ///
    /// Panics if `limit` is larger than `Semaphore::MAX_PERMITS` (as `Semaphore::new`
    /// does).
    pub fn new(limit: usize) -> Self {
        Self {
            permits: Semaphore::new(limit),
            limit,
        }
    }

    /// Runs `work` if fewer than `limit` are running, else refuses at once with
    /// `Err(Rejected::Busy)` without polling it (it is dropped before `try_run`
    /// returns). The place is held while `work` runs, and given back when it completes,
    /// panics, or when this future is dropped (cancelled).
    pub async fn try_run<F: Future>(&self, work: F) -> Result<F::Output, Rejected> {
        let _permit = self.permits.try_acquire().map_err(|err| match err {
            TryAcquireError::NoPermits => Rejected::Busy,
            TryAcquireError::Closed => Rejected::Closed,
        })?;
        // `_permit`, not `_`: the permit lives to the end of the block, across the work.
        Ok(work.await)
    }

    /// How many pieces of work are running now.
    pub fn in_flight(&self) -> usize {
        self.limit - self.permits.available_permits()
    }
}
