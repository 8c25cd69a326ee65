//! Wrong: `fetch_all` with `try_join_all`: the first error hides every other result
//! Shows: Ok(1) at 1000 ms and Ok(3) at 2000 ms were cut off at 500 ms (cancelled)
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
    match futures::future::try_join_all(jobs).await {
        Ok(values) => values.into_iter().map(Ok).collect(),
        Err(err) => vec![Err(err)],
    }
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
    let mut set = JoinSet::new();
    let mut slots = Vec::new();
    for (index, job) in jobs.into_iter().enumerate() {
        set.spawn(async move { (index, job.await) });
        slots.push(None);
    }
    // Tasks finish in any order; the index puts each value back in its place. An early
    // return drops `set`, and dropping a JoinSet aborts every task still in it. (Dropping
    // a plain JoinHandle would not: the task would run on, detached.)
    while let Some(joined) = set.join_next().await {
        let (index, result) = joined?;
        slots[index] = Some(result?);
    }
    Ok(slots
        .into_iter()
        .map(|value| value.expect("every task reported its value"))
        .collect())
}
