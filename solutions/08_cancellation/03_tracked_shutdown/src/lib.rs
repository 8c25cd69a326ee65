//! Graceful shutdown: stop accepting, let the work in flight finish for a while, then
//! abort what is left and say so.

use std::pin::Pin;
use std::time::Duration;

use tokio::sync::mpsc::Receiver;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// A unit of work, and the id it is reported under.
pub struct Job {
    pub id: u32,
    pub work: Pin<Box<dyn Future<Output = ()> + Send>>,
}

/// What became of every job `run` accepted, each list in the order the jobs were
/// accepted. Every accepted job is in exactly one of them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Jobs that ran to the end.
    pub finished: Vec<u32>,
    /// Jobs still running when the grace period ran out, aborted.
    pub aborted: Vec<u32>,
    /// Jobs that panicked.
    pub panicked: Vec<u32>,
}

/// Accepts jobs from `jobs` and runs each in a task of its own, at once, until the
/// shutdown begins: when `shutdown` is cancelled, or when every sender is gone and the
/// channel is empty.
///
/// Then: no job is accepted any more (the channel is closed, so a sender's `send` fails;
/// a job already in the channel is still accepted and started, and so is one sent later
/// through a slot reserved with `reserve()` before the close: the drain waits for it);
/// the jobs in flight get `grace` to finish, counted once from the end of the drain
/// (the moment the shutdown begins, unless a reserved slot is used later; zero: abort at
/// once; `Duration::MAX`: no limit in practice); whatever still runs then is aborted.
/// `run` returns as soon as every job has ended, the grace period is not waited out
/// when nothing is left, and when it returns no job is running any more and every
/// aborted job has been dropped.
pub async fn run(mut jobs: Receiver<Job>, shutdown: CancellationToken, grace: Duration) -> Report {
    // Two tools, two jobs. The tracker waits for every task without taking their
    // results; the handles abort the late ones and give each job's verdict for the
    // report. (The handles alone could do the waiting too, but a handle awaited for the
    // grace period gives its verdict then, and must not be awaited again.)
    let tracker = TaskTracker::new();
    let mut accepted: Vec<(u32, JoinHandle<()>)> = Vec::new();
    loop {
        tokio::select! {
            // Once the receiver is closed, this branch is done: close it once.
            () = shutdown.cancelled(), if !jobs.is_closed() => jobs.close(),
            // After `close()`, `recv` still gives the jobs already in the channel, then
            // `None`: draining it to the end drops no job silently.
            job = jobs.recv() => match job {
                Some(Job { id, work }) => accepted.push((id, tracker.spawn(work))),
                None => break,
            },
        }
    }
    // `wait` completes once the tracker is closed *and* empty: without `close` it would
    // wait for ever, even with no task left.
    tracker.close();
    if tokio::time::timeout(grace, tracker.wait()).await.is_err() {
        for (_, handle) in &accepted {
            handle.abort();
        }
    }
    let mut report = Report::default();
    for (id, handle) in accepted {
        // Awaiting the handle waits until an aborted task's future has been dropped, so
        // that no job runs once `run` returns. This wait has no deadline of its own: an
        // abort takes effect at the task's next `.await`, which for async work is now.
        // A job that blocks its thread without ever yielding cannot be aborted, and
        // would hold `run` here: nothing in async Rust can stop it.
        match handle.await {
            Ok(()) => report.finished.push(id),
            Err(error) if error.is_panic() => report.panicked.push(id),
            Err(_) => report.aborted.push(id),
        }
    }
    report
}
