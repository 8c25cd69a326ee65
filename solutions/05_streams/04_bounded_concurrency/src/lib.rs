//! Many jobs, at most `limit` of them in flight at any moment.

// futures' StreamExt: `buffer_unordered` and `buffered` live there, not in tokio-stream.
use futures::StreamExt;
use futures::stream;

/// Runs `work` on every job, at most `limit` at a time (a `limit` of 0 counts as 1), and
/// returns the results in the order the jobs *finish*.
pub async fn run_unordered<J, T>(
    jobs: impl IntoIterator<Item = J>,
    limit: usize,
    work: impl AsyncFn(J) -> T,
) -> Vec<T> {
    // `map` makes a stream of futures (nothing runs yet); `buffer_unordered` keeps up
    // to `limit` of them running and starts the next one as soon as any finishes.
    // `buffer_unordered(0)` would never start anything, hence the `max(1)`.
    stream::iter(jobs)
        .map(|job| work(job))
        .buffer_unordered(limit.max(1))
        .collect()
        .await
}

/// Like `run_unordered`, but returns the results in the order of the jobs. A result
/// ready early keeps its slot until the results before it are out; job `i` starts at the
/// latest once jobs `0..=i - limit` have all finished.
pub async fn run_ordered<J, T>(
    jobs: impl IntoIterator<Item = J>,
    limit: usize,
    work: impl AsyncFn(J) -> T,
) -> Vec<T> {
    // `buffered` runs up to `limit` at once too, but yields in input order: a result
    // that is ready early waits (and keeps its slot) until those before it are out.
    stream::iter(jobs)
        .map(|job| work(job))
        .buffered(limit.max(1))
        .collect()
        .await
}
