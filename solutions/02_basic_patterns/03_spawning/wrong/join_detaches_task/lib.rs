//! Wrong: to move the handle out in `join` I keep it in an `Option` and `take()` it; Drop aborts whatever handle is still there.
//! Class: cancellation not propagated (a `join()` dropped part-way detaches the task)
//! Breaks: "`spawn_abort_on_drop(task)` spawns `task` and returns an `AbortOnDrop` handle: its `Drop` aborts the task, and `join()` awaits the task's result." (README.md)

use tokio::task::{JoinError, JoinHandle, JoinSet};

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

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => match payload.downcast_ref::<&str>() {
            Some(message) => message.to_string(),
            None => "unknown panic".to_string(),
        },
    }
}

/// Runs `job` on a task of its own and waits for it.
pub async fn run_isolated<T>(job: impl Future<Output = T> + Send + 'static) -> Result<T, JobError>
where
    T: Send + 'static,
{
    match tokio::spawn(job).await {
        Ok(value) => Ok(value),
        Err(err) if err.is_panic() => Err(JobError::Panicked(panic_message(err.into_panic()))),
        Err(_) => Err(JobError::Cancelled),
    }
}

/// Spawns every job into a `JoinSet` and returns their outputs in the order the jobs
/// finished.
pub async fn in_completion_order<F>(jobs: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut set: JoinSet<_> = jobs.into_iter().collect();
    let mut outputs = Vec::new();
    while let Some(result) = set.join_next().await {
        match result {
            Ok(output) => outputs.push(output),
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            Err(_) => {}
        }
    }
    outputs
}

/// A `JoinHandle` that aborts its task when dropped.
#[derive(Debug)]
pub struct AbortOnDrop<T> {
    // An Option, so `join` can take the handle out of a type that implements Drop.
    handle: Option<JoinHandle<T>>,
}

/// Spawns `task` and returns a handle that cancels it when dropped.
pub fn spawn_abort_on_drop<T>(task: impl Future<Output = T> + Send + 'static) -> AbortOnDrop<T>
where
    T: Send + 'static,
{
    AbortOnDrop {
        handle: Some(tokio::spawn(task)),
    }
}

impl<T> AbortOnDrop<T> {
    /// Waits for the task and gives its result.
    pub async fn join(mut self) -> Result<T, JoinError> {
        let handle = self.handle.take().expect("joined twice");
        handle.await
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        if let Some(handle) = &self.handle {
            handle.abort();
        }
    }
}
