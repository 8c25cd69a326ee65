//! Spawning tasks: `tokio::spawn`, `JoinHandle`, `JoinError`, `JoinSet`, abort on drop.

use tokio::task::{JoinError, JoinHandle};

/// Why a job gave no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// The job panicked; the text is the panic's message.
    #[error("job panicked: {0}")]
    Panicked(String),
    /// The job's task was cancelled before it finished: aborted, or dropped unfinished
    /// because its runtime shut down.
    #[error("job cancelled before it finished")]
    Cancelled,
}

/// Runs `job` on a task of its own and waits for it. If the job panics, the panic
/// stays in the job's task and comes back as `Err(JobError::Panicked(message))`; if its
/// task is cancelled before it finishes, as `Err(JobError::Cancelled)`.
pub async fn run_isolated<T>(job: impl Future<Output = T> + Send + 'static) -> Result<T, JobError>
where
    T: Send + 'static,
{
    let _ = job;
    todo!("spawn the job, await its JoinHandle, turn a JoinError into a JobError")
}

/// Spawns every job into a `JoinSet` and returns their outputs in the order the jobs
/// finished, not the order they were given. A job that panics makes this panic with the
/// job's own panic; a job cancelled before it finished (its runtime shut down) has no
/// output and is left out.
pub async fn in_completion_order<F>(jobs: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let _ = jobs;
    todo!("spawn the jobs into a tokio::task::JoinSet and collect with join_next")
}

/// A `JoinHandle` that aborts its task when dropped. A plain `JoinHandle` does not:
/// dropping it detaches the task, which runs on.
#[derive(Debug)]
pub struct AbortOnDrop<T> {
    handle: JoinHandle<T>,
}

/// Spawns `task` and returns a handle that cancels it when dropped.
pub fn spawn_abort_on_drop<T>(task: impl Future<Output = T> + Send + 'static) -> AbortOnDrop<T>
where
    T: Send + 'static,
{
    let _ = task;
    todo!("spawn the task and keep its JoinHandle")
}

impl<T> AbortOnDrop<T> {
    /// Waits for the task and gives its result. Dropping this future before it is done
    /// aborts the task, as dropping the handle does.
    pub async fn join(mut self) -> Result<T, JoinError> {
        let _ = &mut self.handle;
        todo!("await the handle")
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        todo!("abort the task")
    }
}
