//! Tracked shutdown: read README.md beside this folder, then make the tests pass.

use std::pin::Pin;
use std::time::Duration;

use tokio::sync::mpsc::Receiver;
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
/// a job already in the channel is still accepted and started, and so is one sent later
/// through a slot reserved with `reserve()` before the close: the drain waits for it);
/// the jobs in flight get `grace` to finish, counted once from the end of the drain
/// (the moment the shutdown begins, unless a reserved slot is used later; zero: abort at
/// once; `Duration::MAX`: no limit in practice); whatever still runs then is aborted.
/// `run` returns as soon as every job has ended, the grace period is not waited out
/// when nothing is left, and when it returns no job is running any more and every
/// aborted job has been dropped.
pub async fn run(jobs: Receiver<Job>, shutdown: CancellationToken, grace: Duration) -> Report {
    let _ = (jobs, shutdown);
    todo!("accept jobs until the shutdown, then give them {grace:?} to finish and abort the rest")
}
