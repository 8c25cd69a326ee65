//! Wrong: an empty string from the cache means "not cached", so I keep waiting for the database in that case.
//! Class: sentinel value (empty answer) treated as a miss
//! Breaks: "`race(cache, db)` returns the first answer, with `Source::Cache` or `Source::Database` saying who gave it, as soon as it arrives." (README.md)

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
    tokio::pin!(db);
    tokio::select! {
        value = cache => {
            if value.is_empty() {
                // Cache miss: the database decides.
                Fetched { value: db.await, source: Source::Database }
            } else {
                Fetched { value, source: Source::Cache }
            }
        }
        value = &mut db => Fetched { value, source: Source::Database },
    }
}

/// Like [`race`], but gives up with `DeadlineExceeded` once `deadline` has passed.
pub async fn race_with_deadline(
    cache: impl Future<Output = String>,
    db: impl Future<Output = String>,
    deadline: Duration,
) -> Result<Fetched, DeadlineExceeded> {
    tokio::time::timeout(deadline, race(cache, db))
        .await
        .map_err(|_| DeadlineExceeded)
}
