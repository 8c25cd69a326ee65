//! Generic code that spawns the traits' futures. This file does not compile until
//! `Database` and `Cache` promise `Send` futures: read the compiler's error.
//!
//! The wrong answer this file rejects, by not compiling, is listed in tests/kata.rs
//! (`cache_trait_left_plain`).

use std::sync::Arc;

use send_futures::{Cache, Database};
use tokio::task::JoinHandle;

/// Spawns a database lookup for any backend: needs `D::get`'s future to be `Send`.
fn spawn_get<D: Database + Send + Sync + 'static>(
    db: Arc<D>,
    id: u32,
) -> JoinHandle<Option<String>> {
    tokio::spawn(async move { db.get(id).await })
}

/// Spawns a cache lookup for any cache: needs `C::lookup`'s future to be `Send`.
fn spawn_lookup<C: Cache + Send + Sync + 'static>(
    cache: Arc<C>,
    id: u32,
) -> JoinHandle<Option<String>> {
    tokio::spawn(async move { cache.lookup(id).await })
}

struct Echo;

impl Database for Echo {
    async fn get(&self, id: u32) -> Option<String> {
        tokio::task::yield_now().await;
        Some(format!("db-{id}"))
    }
}

impl Cache for Echo {
    async fn lookup(&self, id: u32) -> Option<String> {
        tokio::task::yield_now().await;
        Some(format!("cache-{id}"))
    }
}

#[tokio::test]
async fn t10_generic_code_can_spawn_database_futures() {
    let got = spawn_get(Arc::new(Echo), 3)
        .await
        .expect("the task panicked");
    assert_eq!(
        got.as_deref(),
        Some("db-3"),
        "the spawned lookup should give db-3"
    );
}

#[tokio::test]
async fn t11_generic_code_can_spawn_cache_futures() {
    let got = spawn_lookup(Arc::new(Echo), 3)
        .await
        .expect("the task panicked");
    assert_eq!(
        got.as_deref(),
        Some("cache-3"),
        "the spawned lookup should give cache-3"
    );
}
