//! Wrong: like most config knobs, a zero deadline means "no limit", so then I just run the plain race.
//! Class: edge value (zero) treated as "unlimited"
//! Breaks: "`race_with_deadline(cache, db, deadline)` does the same, but returns `Err(DeadlineExceeded)` exactly at `deadline` if neither source has answered by then, dropping both." (README.md)

use std::time::Duration;

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Cache,
    Database,
}

/// The winning answer, and which source gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub value: String,
    pub source: Source,
}

/// Neither source answered before the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no source answered before the deadline")]
pub struct DeadlineExceeded;

/// Waits for the cache and the database at the same time; the first to answer wins and
/// the other one is dropped, unfinished.
pub async fn race(
    cache: impl Future<Output = String>,
    db: impl Future<Output = String>,
) -> Fetched {
    tokio::select! {
        value = cache => Fetched { value, source: Source::Cache },
        value = db => Fetched { value, source: Source::Database },
    }
}

/// Like [`race`], but gives up with `DeadlineExceeded` once `deadline` has passed.
pub async fn race_with_deadline(
    cache: impl Future<Output = String>,
    db: impl Future<Output = String>,
    deadline: Duration,
) -> Result<Fetched, DeadlineExceeded> {
    if deadline.is_zero() {
        // No deadline configured.
        return Ok(race(cache, db).await);
    }
    tokio::select! {
        value = cache => Ok(Fetched { value, source: Source::Cache }),
        value = db => Ok(Fetched { value, source: Source::Database }),
        _ = tokio::time::sleep(deadline) => Err(DeadlineExceeded),
    }
}
