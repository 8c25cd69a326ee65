//! Racing with `select!`: the first source to answer wins, the other is dropped.

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
    // `select!` polls both branches; when one completes, the whole `select!` returns
    // and the futures of the other branches are dropped: that is the cancellation.
    tokio::select! {
        value = cache => Fetched { value, source: Source::Cache },
        value = db => Fetched { value, source: Source::Database },
    }
}

/// Like [`race`], but gives up with `DeadlineExceeded` once `deadline` has passed (at
/// once for a zero deadline). An answer at exactly `deadline` may go either way.
pub async fn race_with_deadline(
    cache: impl Future<Output = String>,
    db: impl Future<Output = String>,
    deadline: Duration,
) -> Result<Fetched, DeadlineExceeded> {
    // The deadline is just a third contestant: a timer that, if it wins, drops both.
    tokio::select! {
        value = cache => Ok(Fetched { value, source: Source::Cache }),
        value = db => Ok(Fetched { value, source: Source::Database }),
        () = tokio::time::sleep(deadline) => Err(DeadlineExceeded),
    }
}
