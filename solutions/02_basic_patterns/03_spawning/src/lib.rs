//! Spawning tasks: `tokio::spawn`, `JoinHandle`, `JoinError`, `JoinSet`, abort on drop.

use std::any::Any;

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

/// Runs `job` on a task of its own and waits for it. If the job panics, the panic
/// stays in the job's task and comes back as `Err(JobError::Panicked(message))`; if its
/// task is cancelled before it finishes, as `Err(JobError::Cancelled)`.
pub async fn run_isolated<T>(job: impl Future<Output = T> + Send + 'static) -> Result<T, JobError>
where
    T: Send + 'static,
{
    // The runtime catches a task's panic and hands it to the JoinHandle as a JoinError.
    // The other kind of JoinError is a cancellation: nobody here aborts the job, but a
    // runtime that shuts down drops its unfinished tasks, and their handles say so.
    match tokio::spawn(job).await {
        Ok(value) => Ok(value),
        Err(err) if err.is_panic() => Err(JobError::Panicked(panic_message(err.into_panic()))),
        Err(_cancelled) => Err(JobError::Cancelled),
    }
}

/// The text of a panic: `panic!("literal")` carries a &'static str, `panic!("{x}")` a
/// String.
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map_or_else(|| "<non-text panic>".to_string(), |text| text.to_string()),
    }
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
    let mut set: JoinSet<F::Output> = jobs.into_iter().collect();
    let mut outputs = Vec::with_capacity(set.len());
    // `join_next` yields whichever task finishes next.
    while let Some(result) = set.join_next().await {
        match result {
            Ok(output) => outputs.push(output),
            // Carry the job's panic on, payload and all, instead of a new one about it.
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            Err(_cancelled) => {}
        }
    }
    outputs
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
    AbortOnDrop {
        handle: tokio::spawn(task),
    }
}

impl<T> AbortOnDrop<T> {
    /// Waits for the task and gives its result. Dropping this future before it is done
    /// aborts the task, as dropping the handle does.
    pub async fn join(mut self) -> Result<T, JoinError> {
        // `&mut JoinHandle` is a future too, since `JoinHandle` is `Unpin`: we cannot move
        // the handle out of a type that implements `Drop`.
        (&mut self.handle).await
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        // Aborting a task that already finished does nothing.
        self.handle.abort();
    }
}
