//! Wrong: on a cache miss I ask the database through `retry(MAX_ATTEMPTS, …)` too, since the database is the slow flaky one.
//! Class: extra collaborator calls (retries where one ask was promised)
//! Breaks: "Each task asks the cache first and the database only on a miss." (README.md)

use std::sync::Arc;

use tokio::task::JoinHandle;

/// How many times `spawn_fetch` asks the database before giving up.
pub const MAX_ATTEMPTS: u32 = 3;

/// The slow, authoritative store.
#[trait_variant::make(Database: Send)]
pub trait LocalDatabase {
    async fn get(&self, id: u32) -> Option<String>;
}

/// The fast store in front of it.
pub trait Cache {
    fn lookup(&self, id: u32) -> impl Future<Output = Option<String>> + Send;
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

/// Looks up every id on a task of its own: the cache first, the database on a miss.
/// The results follow the order of `ids`.
pub async fn fetch_all<C, D>(cache: Arc<C>, db: Arc<D>, ids: &[u32]) -> Vec<Option<String>>
where
    C: Cache + Send + Sync + 'static,
    D: Database + Send + Sync + 'static,
{
    let handles: Vec<_> = ids
        .iter()
        .map(|&id| {
            let (cache, db) = (Arc::clone(&cache), Arc::clone(&db));
            tokio::spawn(async move {
                match cache.lookup(id).await {
                    Some(value) => Some(value),
                    None => retry(MAX_ATTEMPTS, async move || db.get(id).await).await,
                }
            })
        })
        .collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        match handle.await {
            Ok(answer) => results.push(answer),
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            Err(_) => results.push(None),
        }
    }
    results
}

/// Fetches `id` from the database on a task of its own, with up to `MAX_ATTEMPTS` tries.
pub fn spawn_fetch<D>(db: Arc<D>, id: u32) -> JoinHandle<Option<String>>
where
    D: Database + Send + Sync + 'static,
{
    tokio::spawn(async move { retry(MAX_ATTEMPTS, async move || db.get(id).await).await })
}

