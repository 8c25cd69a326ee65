//! Spawning tasks: `tokio::spawn`, `JoinHandle`, `JoinError`, `JoinSet`, abort on drop.

use tokio::task::{JoinError, JoinHandle, JoinSet};

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
    // The runtime catches a task's panic and hands it to the JoinHandle as a JoinError.
    tokio::spawn(job).await.map_err(|err| {
        let Ok(payload) = err.try_into_panic() else {
            // Only an abort gives a non-panic JoinError, and nobody else holds the handle.
            unreachable!("the job's task is never aborted");
        };
        // `panic!("literal")` carries a &'static str, `panic!("{x}")` a String.
        let message = match payload.downcast::<String>() {
            Ok(text) => *text,
            Err(payload) => payload
                .downcast_ref::<&str>()
                .map_or_else(|| "<non-text panic>".to_string(), |text| text.to_string()),
        };
        JobPanicked(message)
    })
}

/// Spawns every job into a `JoinSet` and returns their outputs in the order the jobs
/// finished, not the order they were given.
pub async fn in_completion_order<F>(jobs: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut set: JoinSet<F::Output> = jobs.into_iter().collect();
    let mut outputs = Vec::with_capacity(set.len());
    // `join_next` yields whichever task finishes next.
    while let Some(result) = set.join_next().await {
        outputs.push(result.expect("the jobs in this kata do not panic"));
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
    /// Waits for the task and gives its result.
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
