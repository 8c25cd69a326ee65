//! Wrong: keeps the first error and returns it once the attempts are used up
//! Retrying a flaky async operation with exponential backoff.

use std::time::Duration;

/// How often and how patiently to retry.
///
/// - `max_attempts` counts every call of the operation, the first one included
///   (0 behaves like 1: the operation always runs at least once).
/// - After the n-th failed attempt (n = 1, 2, ...) the wait is `base * 2^(n-1)`, capped
///   at `cap`: 100 ms, 200 ms, 400 ms, ... for a base of 100 ms.
/// - There is no wait before the first attempt and none after the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Backoff {
    /// The wait after the `attempt`-th failed attempt (`attempt` starts at 1).
    /// Never panics, whatever the numbers: anything too large is `cap`.
    pub fn delay_after(&self, attempt: u32) -> Duration {
        // 2^(attempt-1) overflows a u32 from attempt 33 on: treat that as "huge".
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }
}

/// Calls `op` until it succeeds, fails with an error `is_retryable` rejects, or has been
/// called `policy.max_attempts` times; waits `policy.delay_after(n)` between attempts.
/// Returns the first success, or the last error.
pub async fn retry<T, E>(
    policy: Backoff,
    is_retryable: impl Fn(&E) -> bool,
    mut op: impl AsyncFnMut() -> Result<T, E>,
) -> Result<T, E> {
    let mut first_error = None;
    let mut attempt = 1;
    loop {
        match op().await {
            Ok(value) => return Ok(value),
            Err(err) if attempt < policy.max_attempts && is_retryable(&err) => {
                first_error.get_or_insert(err);
                tokio::time::sleep(policy.delay_after(attempt)).await;
                attempt += 1;
            }
            Err(err) => return Err(first_error.unwrap_or(err)),
        }
    }
}
