//! Wrong: I race the future against a sleep with a biased select!, the deadline first so that a deadline is never missed.
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
/// A result that arrives in time, `Ok` or `Err`, is returned unchanged.
pub async fn with_timeout<T>(
    limit: Duration,
    fut: impl Future<Output = Result<T, FetchError>>,
) -> Result<T, FetchError> {
    let deadline = tokio::time::sleep(limit);
    tokio::pin!(deadline);
    tokio::pin!(fut);
    tokio::select! {
        biased;
        _ = &mut deadline => Err(FetchError::Timeout(limit)),
        result = &mut fut => result,
    }
}
