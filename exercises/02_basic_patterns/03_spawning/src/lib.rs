//! Spawning tasks: `tokio::spawn`, `JoinHandle`, `JoinError`, `JoinSet`, abort on drop.

use tokio::task::{JoinError, JoinHandle};

/// A job panicked; the text is the panic's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("job panicked: {0}")]
pub struct JobPanicked(pub String);

/// Runs `job` on a task of its own and waits for it. If the job panics, the panic
/// stays in the job's task and comes back as `Err(JobPanicked(message))`.
pub async fn run_isolated<T>(
    job: impl Future<Output = T> + Send + 'static,
) -> Result<T, JobPanicked>
where
    T: Send + 'static,
{
    let _ = job;
    todo!("spawn the job, await its JoinHandle, turn a panic into JobPanicked")
}

/// Spawns every job into a `JoinSet` and returns their outputs in the order the jobs
/// finished, not the order they were given.
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
    /// Waits for the task and gives its result.
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
