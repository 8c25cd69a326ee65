//! Many jobs, at most `limit` of them in flight at any moment.

/// Runs `work` on every job, at most `limit` at a time (a `limit` of 0 counts as 1), and
/// returns the results in the order the jobs *finish*.
pub async fn run_unordered<J, T>(
    jobs: impl IntoIterator<Item = J>,
    limit: usize,
    work: impl AsyncFn(J) -> T,
) -> Vec<T> {
    let _ = (jobs, work);
    todo!("at most {limit} jobs in flight, results as they finish")
}

/// Like `run_unordered`, but returns the results in the order of the jobs. A result
/// ready early keeps its slot until the results before it are out; job `i` starts at the
/// latest once jobs `0..=i - limit` have all finished.
pub async fn run_ordered<J, T>(
    jobs: impl IntoIterator<Item = J>,
    limit: usize,
    work: impl AsyncFn(J) -> T,
) -> Vec<T> {
    let _ = (jobs, work);
    todo!("at most {limit} jobs in flight, results in the order of the jobs")
}
