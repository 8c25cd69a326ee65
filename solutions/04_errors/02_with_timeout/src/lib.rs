//! A deadline for any fallible future, as one more variant of the error type.

use std::time::Duration;

use thiserror::Error;

/// The error of a call to a slow upstream service.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FetchError {
    #[error("upstream failed: {0}")]
    Upstream(String),
    #[error("timed out after {0:?}")]
    Timeout(Duration),
}

/// Runs `fut`, but gives up with `FetchError::Timeout(limit)` once `limit` has passed.
///
/// A result that arrives in time, `Ok` or `Err`, is returned unchanged; one that arrives
/// at the deadline itself is in time (the future is polled before the timer), and so is
/// a future ready at its first poll, even with a zero limit.
pub async fn with_timeout<T>(
    limit: Duration,
    fut: impl Future<Output = Result<T, FetchError>>,
) -> Result<T, FetchError> {
    // `timeout` adds a layer: Ok(inner result) in time, Err(Elapsed) at the deadline,
    // at which point it drops `fut`. Map the outer error, `?` it away, and what is
    // left is the inner result, already of our error type.
    tokio::time::timeout(limit, fut)
        .await
        .map_err(|_elapsed| FetchError::Timeout(limit))?
}
