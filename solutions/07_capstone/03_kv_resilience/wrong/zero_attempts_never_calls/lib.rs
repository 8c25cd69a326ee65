//! Wrong: retry is a for loop over 1..=attempts; if it never got a result it reports the backend as unavailable.
//! A line-based key-value service, part 2: per-request timeouts and retries.
//!
//! `protocol.rs` and `store.rs` hold part 1, solved. Your part is in this file.

#[path = "../../../../../exercises/07_capstone/03_kv_resilience/src/protocol.rs"]
mod protocol;
#[path = "../../../../../exercises/07_capstone/03_kv_resilience/src/store.rs"]
mod store;

use std::future::Future;
use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

pub use protocol::{Command, ParseError, Reply, parse};
pub use store::{MemoryStore, Store, StoreError};

/// How to retry a backend call that failed with a retryable error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Calls in all, the first one included.
    pub attempts: u32,
    /// The wait before the first retry; every later retry waits twice as long as the
    /// one before: `base_delay`, `2 * base_delay`, `4 * base_delay`, … up to `cap`.
    pub base_delay: Duration,
    /// The longest wait between two attempts: the doubling stops here.
    pub cap: Duration,
}

impl RetryPolicy {
    /// The wait after the `attempt`-th failed attempt (`attempt` starts at 1):
    /// `base_delay * 2^(attempt-1)`, capped at `cap`. Never panics, whatever the
    /// numbers: anything too large is `cap`.
    pub fn delay_after(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.cap)
    }
}

/// How the service treats each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// The most time one request may take, retries included.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
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
    let mut last = StoreError::Unavailable;
    for attempt in 1..=policy.attempts {
        match op().await {
            Ok(value) => return Ok(value),
            Err(err) if !err.is_retryable() => return Err(err),
            Err(err) => {
                last = err;
                if attempt < policy.attempts {
                    tokio::time::sleep(policy.delay_after(attempt)).await;
                }
            }
        }
    }
    Err(last)
}

/// The key-value service over some store.
#[derive(Debug, Default)]
pub struct Service<S> {
    store: S,
    config: Config,
}

impl<S: Store> Service<S> {
    pub fn new(store: S) -> Self {
        Self::with_config(store, Config::default())
    }

    pub fn with_config(store: S, config: Config) -> Self {
        Self { store, config }
    }

    /// Runs one command against the store: retried per `config.retry`, and cut off
    /// after `config.request_timeout` with `ERR timeout`.
    pub async fn execute(&self, command: Command) -> Reply {
        let call = retry(self.config.retry, || self.apply(&command));
        match tokio::time::timeout(self.config.request_timeout, call).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(err)) => Reply::Error(err.to_string()),
            Err(_elapsed) => Reply::Error("timeout".to_string()),
        }
    }

    /// One backend call for `command`, without retries or timeout.
    async fn apply(&self, command: &Command) -> Result<Reply, StoreError> {
        Ok(match command {
            Command::Get { key } => match self.store.get(key).await? {
                Some(value) => Reply::Value(value),
                None => Reply::NotFound,
            },
            Command::Set { key, value } => {
                self.store.set(key, value).await?;
                Reply::Ok
            }
            Command::Del { key } => match self.store.del(key).await? {
                true => Reply::Ok,
                false => Reply::NotFound,
            },
        })
    }

    /// Serves one connection until the client hangs up: one reply line per request.
    pub async fn serve<IO>(&self, io: IO) -> io::Result<()>
    where
        IO: AsyncRead + AsyncWrite,
    {
        let (reader, mut writer) = tokio::io::split(io);
        let mut lines = BufReader::new(reader).lines();
        while let Some(line) = lines.next_line().await? {
            let reply = match parse(&line) {
                Ok(command) => self.execute(command).await,
                Err(err) => Reply::Error(err.to_string()),
            };
            writer.write_all(format!("{reply}\n").as_bytes()).await?;
            writer.flush().await?;
        }
        Ok(())
    }
}
