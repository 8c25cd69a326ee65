//! Wrong: `spawn_all` spawns a job, awaits it, then spawns the next: no concurrency
//! Shows: started only after Ok(1) at 5000 ms ended (sequential)
//! When one of several concurrent operations fails: stop early, or collect everything.

use futures::future::join_all;
use thiserror::Error;
use tokio::task::{JoinError, JoinHandle, JoinSet};

/// The application's error, given: `Task` wraps a spawned task's panic or abort.
#[derive(Debug, Error)]
pub enum AppError {
    #[error("{service} is unavailable")]
    Unavailable { service: &'static str },
    #[error("background task failed")]
    Task(#[from] JoinError),
}

/// Runs `a` and `b` concurrently. Both values, or the first error *in time*: then the
/// other one is dropped without waiting for it.
pub async fn fetch_both<A, B>(
    a: impl Future<Output = Result<A, AppError>>,
    b: impl Future<Output = Result<B, AppError>>,
) -> Result<(A, B), AppError> {
    // Both run on this task; the first Err makes try_join! return, dropping the other.
    tokio::try_join!(a, b)
}

/// Runs every job concurrently to the end, failures included, and returns every
/// result in the order of the jobs.
pub async fn fetch_all<T, F>(jobs: impl IntoIterator<Item = F>) -> Vec<Result<T, AppError>>
where
    F: Future<Output = Result<T, AppError>>,
{
    // join_all, not try_join_all: an error is one more result, not a reason to stop.
    join_all(jobs).await
}

/// Waits for a spawned task. Its own `Result` comes back as it is; if the task panicked
/// or was aborted, the `JoinError` becomes `AppError::Task`.
pub async fn join_task<T>(handle: JoinHandle<Result<T, AppError>>) -> Result<T, AppError> {
    // Awaiting a JoinHandle gives Result<Result<T, AppError>, JoinError>:
    // `?` converts the outer JoinError through #[from], the inner Result is ours.
    handle.await?
}

/// Runs every job on its own task. All values in the order of the jobs, or the first
/// error in time (a panic is `AppError::Task`): then the other tasks are aborted.
pub async fn spawn_all<T, F>(jobs: impl IntoIterator<Item = F>) -> Result<Vec<T>, AppError>
where
    F: Future<Output = Result<T, AppError>> + Send + 'static,
    T: Send + 'static,
{
    let mut values = Vec::new();
    for job in jobs {
        values.push(tokio::spawn(job).await??);
    }
    Ok(values)
}
