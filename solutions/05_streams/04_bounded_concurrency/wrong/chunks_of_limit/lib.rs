//! Wrong: For the ordered version I run the jobs in chunks of `limit` with join_all, one chunk after the other, which keeps the order and never has more than `limit` running.
//! Many jobs, at most `limit` of them in flight at any moment.

use futures::StreamExt;
use futures::stream;

/// Runs `work` on every job, at most `limit` at a time; results as they finish.
pub async fn run_unordered<J, T>(
    jobs: impl IntoIterator<Item = J>,
    limit: usize,
    work: impl AsyncFn(J) -> T,
) -> Vec<T> {
    stream::iter(jobs)
        .map(|job| work(job))
        .buffer_unordered(limit.max(1))
        .collect()
        .await
}

/// Like `run_unordered`, but returns the results in the order of the jobs.
pub async fn run_ordered<J, T>(
    jobs: impl IntoIterator<Item = J>,
    limit: usize,
    work: impl AsyncFn(J) -> T,
) -> Vec<T> {
    let limit = limit.max(1);
    let mut jobs = jobs.into_iter().peekable();
    let mut results = Vec::new();
    while jobs.peek().is_some() {
        let chunk: Vec<_> = jobs.by_ref().take(limit).map(|job| work(job)).collect();
        results.extend(futures::future::join_all(chunk).await);
    }
    results
}
