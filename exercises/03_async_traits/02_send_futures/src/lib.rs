//! Send futures for spawning: generic code that spawns a trait's futures needs them `Send`.

use std::sync::Arc;

use tokio::task::JoinHandle;

/// How many times `spawn_fetch` asks the database before giving up.
pub const MAX_ATTEMPTS: u32 = 3;

/// The slow, authoritative store.
pub trait Database {
    async fn get(&self, id: u32) -> Option<String>;
}

/// The fast store in front of it.
pub trait Cache {
    async fn lookup(&self, id: u32) -> Option<String>;
}

/// Calls `attempt` until it gives `Some`, at most `attempts` times. (Given.)
pub async fn retry<T>(attempts: u32, attempt: impl AsyncFn() -> Option<T>) -> Option<T> {
    for _ in 0..attempts {
        if let Some(value) = attempt().await {
            return Some(value);
        }
    }
    None
}

/// Looks up every id on a task of its own: the cache first, the database (asked once)
/// on a miss. The results follow the order of `ids`. A lookup that panics makes this
/// panic with the lookup's own panic (its payload, carried on); one whose task was
/// cancelled (its runtime shut down) has no answer: `None`.
pub async fn fetch_all<C, D>(cache: Arc<C>, db: Arc<D>, ids: &[u32]) -> Vec<Option<String>>
where
    C: Cache + Send + Sync + 'static,
    D: Database + Send + Sync + 'static,
{
    let _ = (cache, db);
    todo!(
        "spawn one task per id ({} ids): cache first, then the database",
        ids.len()
    )
}

/// Fetches `id` from the database on a task of its own, with up to `MAX_ATTEMPTS` tries.
pub fn spawn_fetch<D>(db: Arc<D>, id: u32) -> JoinHandle<Option<String>>
where
    D: Database + Send + Sync + 'static,
{
    let _ = db;
    todo!("spawn a task that retries db.get({id}) with `retry`")
}
