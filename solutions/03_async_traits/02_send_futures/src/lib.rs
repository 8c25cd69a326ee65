//! Send futures for spawning: generic code that spawns a trait's futures needs them `Send`.

use std::sync::Arc;

use futures::future::join_all;
use tokio::task::JoinHandle;

/// How many times `spawn_fetch` asks the database before giving up.
pub const MAX_ATTEMPTS: u32 = 3;

/// The slow, authoritative store.
///
/// `trait_variant::make` keeps this trait as written under the name `LocalDatabase`
/// (futures that need not be `Send`, for single-threaded code) and generates `Database`,
/// whose methods return `impl Future<Output = …> + Send`, with a blanket impl of
/// `LocalDatabase` for every `Database`.
#[trait_variant::make(Database: Send)]
pub trait LocalDatabase {
    async fn get(&self, id: u32) -> Option<String>;
}

/// The fast store in front of it. Written out by hand, this is what `trait_variant`
/// generates: the method promises a `Send` future, and implementors still write
/// `async fn lookup`.
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

/// Looks up every id on a task of its own: the cache first, the database (asked once)
/// on a miss.
/// The results follow the order of `ids`. A lookup that panics makes this panic with the
/// lookup's own panic; one whose task was cancelled (its runtime shut down) has no
/// answer: `None`.
pub async fn fetch_all<C, D>(cache: Arc<C>, db: Arc<D>, ids: &[u32]) -> Vec<Option<String>>
where
    C: Cache + Send + Sync + 'static,
    // `Send` is a supertrait of `Database` (trait_variant makes it one): not repeated.
    D: Database + Sync + 'static,
{
    let tasks = ids.iter().map(|&id| {
        let (cache, db) = (Arc::clone(&cache), Arc::clone(&db));
        // This compiles only because both traits promise `Send` futures: the task holds
        // them across its `.await`s and may move to another thread between polls.
        tokio::spawn(async move {
            match cache.lookup(id).await {
                Some(value) => Some(value),
                None => db.get(id).await,
            }
        })
    });
    join_all(tasks)
        .await
        .into_iter()
        .map(|result| match result {
            Ok(answer) => answer,
            // Carry the lookup's own panic on, payload and all.
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            Err(_cancelled) => None,
        })
        .collect()
}

/// Fetches `id` from the database on a task of its own, with up to `MAX_ATTEMPTS` tries.
pub fn spawn_fetch<D>(db: Arc<D>, id: u32) -> JoinHandle<Option<String>>
where
    D: Database + Sync + 'static,
{
    // `async move`: the closure owns `db` and `id`. A plain `async ||` would borrow them
    // from the task, and today's compiler cannot prove such a borrowing closure's
    // futures `Send` ("implementation of `Send` is not general enough").
    tokio::spawn(async move { retry(MAX_ATTEMPTS, async move || db.get(id).await).await })
}
