//! When one of several concurrent operations fails: stop early, or collect everything.

use thiserror::Error;
use tokio::task::{JoinError, JoinHandle};

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
    let _ = (a, b);
    todo!("run both concurrently; the first error wins")
}

/// Runs every job concurrently to the end, failures included, and returns every
/// result in the order of the jobs.
pub async fn fetch_all<T, F>(jobs: impl IntoIterator<Item = F>) -> Vec<Result<T, AppError>>
where
    F: Future<Output = Result<T, AppError>>,
{
    let _ = jobs;
    todo!("run every job to the end, concurrently")
}

/// Waits for a spawned task. Its own `Result` comes back as it is; if the task panicked
/// or was aborted, the `JoinError` becomes `AppError::Task`.
pub async fn join_task<T>(handle: JoinHandle<Result<T, AppError>>) -> Result<T, AppError> {
    let _ = handle;
    todo!("await the handle and map its JoinError")
}

/// Runs every job on its own task. All values in the order of the jobs, or the first
/// error in time (a panic is `AppError::Task`): then the other tasks are aborted.
pub async fn spawn_all<T, F>(jobs: impl IntoIterator<Item = F>) -> Result<Vec<T>, AppError>
where
    F: Future<Output = Result<T, AppError>> + Send + 'static,
    T: Send + 'static,
{
    let _ = jobs;
    todo!("spawn every job; collect in order, or abort the rest on the first error")
}
