//! Wrong: I believed a JoinSet is the simpler tool here (the lesson says it can do all of this) and its `join_next` gives me each verdict to file in the report.

use std::pin::Pin;
use std::time::Duration;

use std::collections::HashMap;

use tokio::sync::mpsc::Receiver;
use tokio::task::{self, JoinSet};
use tokio::time::{self, Instant};
use tokio_util::sync::CancellationToken;

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
/// a job already in the channel is still accepted and started); the jobs in flight get
/// `grace` to finish, counted once from the moment the shutdown begins (zero: abort at
/// once; `Duration::MAX`: no limit in practice); whatever still runs then is aborted.
/// `run` returns as soon as every job has ended, the grace period is not waited out
/// when nothing is left, and when it returns no job is running any more and every
/// aborted job has been dropped.
pub async fn run(mut jobs: Receiver<Job>, shutdown: CancellationToken, grace: Duration) -> Report {
    // The lesson says a JoinSet can do all of this too: it aborts on drop and hands
    // back every verdict, so no Vec of handles is needed.
    let mut set = JoinSet::new();
    let mut ids: HashMap<task::Id, u32> = HashMap::new();
    loop {
        tokio::select! {
            () = shutdown.cancelled(), if !jobs.is_closed() => jobs.close(),
            job = jobs.recv() => match job {
                Some(Job { id, work }) => {
                    let handle = set.spawn(work);
                    ids.insert(handle.id(), id);
                }
                None => break,
            },
        }
    }

    let deadline = Instant::now() + grace;
    let mut report = Report::default();
    let mut aborting = false;
    loop {
        let next = if aborting {
            set.join_next_with_id().await
        } else {
            match time::timeout_at(deadline, set.join_next_with_id()).await {
                Ok(next) => next,
                Err(_) => {
                    set.abort_all();
                    aborting = true;
                    continue;
                }
            }
        };
        match next {
            None => break,
            Some(Ok((task, ()))) => report.finished.push(ids[&task]),
            Some(Err(error)) if error.is_panic() => report.panicked.push(ids[&error.id()]),
            Some(Err(error)) => report.aborted.push(ids[&error.id()]),
        }
    }
    report
}
