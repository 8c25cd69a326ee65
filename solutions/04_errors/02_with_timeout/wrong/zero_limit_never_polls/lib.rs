//! Wrong: With a zero limit there is no time at all, so I return Timeout straight away without starting the future.
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
    if limit.is_zero() {
        // No time at all: do not even start the call.
        return Err(FetchError::Timeout(limit));
    }
    tokio::time::timeout(limit, fut)
        .await
        .map_err(|_| FetchError::Timeout(limit))?
}
