//! Timeouts and retries: part 2 of the service, solved.

use std::future::Future;
use std::time::Duration;

use crate::StoreError;

/// How to retry a backend call that failed with a retryable error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Calls in all, the first one included (0 behaves like 1: the call always runs
    /// at least once).
    pub attempts: u32,
    /// The wait before the first retry; every later retry waits twice as long as the
    /// one before: `base_delay`, `2 * base_delay`, `4 * base_delay`, … up to `cap`.
    pub base_delay: Duration,
    /// The longest wait between two attempts: the doubling stops here.
    pub cap: Duration,
}

impl RetryPolicy {
    /// The wait after the `attempt`-th failed attempt (`attempt` starts at 1; 0 gets the
    /// base, like 1): `base_delay * 2^(attempt-1)`, capped at `cap`, exactly for any
    /// numbers. Never panics: anything too large is `cap`.
    pub fn delay_after(&self, attempt: u32) -> Duration {
        // Double from the base (or the cap, if it is lower) once per earlier failure,
        // stopping at the cap: exact for any numbers, and at most about 100 rounds (a
        // `Duration` holds less than 2^94 ns), whatever `attempt` is.
        let mut delay = self.base_delay.min(self.cap);
        for _ in 1..attempt {
            if delay >= self.cap || delay.is_zero() {
                break;
            }
            delay = delay.saturating_mul(2).min(self.cap);
        }
        delay
    }
}

/// How the service treats each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// The most time one request may take, retries included.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// How many events the change feed holds for a subscriber that falls behind,
    /// rounded up to a power of two. At least 1: `Events::new` panics on 0, as tokio's
    /// broadcast channel does.
    pub event_capacity: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(1),
            retry: RetryPolicy {
                attempts: 3,
                base_delay: Duration::from_millis(100),
                cap: Duration::from_secs(1),
            },
            event_capacity: 16,
        }
    }
}

/// Calls `op` until it succeeds, fails with an error that is not retryable, or has
/// been called `policy.attempts` times; waits `policy.delay_after(n)` after the n-th
/// failure (capped exponential backoff), and never after the last attempt.
pub async fn retry<T, F, Fut>(policy: RetryPolicy, mut op: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, StoreError>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            // Only a retryable error with attempts left earns another try.
            Err(err) if err.is_retryable() && attempt < policy.attempts => {
                // Capped: a long outage waits `cap` between attempts, never longer,
                // and the doubling never overflows.
                tokio::time::sleep(policy.delay_after(attempt)).await;
                attempt += 1;
            }
            result => return result,
        }
    }
}
