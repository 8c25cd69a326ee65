//! Wrong: fetching the same id twice is wasted work, so fetch_all skips ids it has already seen.
//! Class: duplicates dropped
//! Breaks: "`fetch_all(ids, fetch)` calls `fetch` for every id" (README.md)

use std::collections::HashSet;
use std::time::Duration;

/// How long one fetch takes (virtual time in the tests).
pub const LATENCY: Duration = Duration::from_secs(1);

/// Pretends to fetch a user over the network: takes `LATENCY`, then answers.
/// (Given: you do not need to change it.)
pub async fn fetch_user(id: u32) -> String {
    tokio::time::sleep(LATENCY).await;
    format!("user-{id}")
}

/// Fetches `a` with `fetch`, and only when it has arrived, fetches `b`.
pub async fn fetch_two_sequentially<T>(a: u32, b: u32, fetch: impl AsyncFn(u32) -> T) -> (T, T) {
    let first = fetch(a).await;
    let second = fetch(b).await;
    (first, second)
}

/// Fetches `a` and `b` with `fetch` at the same time, on this task, with `tokio::join!`.
pub async fn fetch_two_concurrently<T>(a: u32, b: u32, fetch: impl AsyncFn(u32) -> T) -> (T, T) {
    tokio::join!(fetch(a), fetch(b))
}

/// Runs `fetch` for every id at the same time and returns the results in the order of
/// `ids`, whatever order the fetches finish in.
pub async fn fetch_all<T>(ids: &[u32], fetch: impl AsyncFn(u32) -> T) -> Vec<T> {
    let mut seen = HashSet::new();
    let unique = ids.iter().copied().filter(|id| seen.insert(*id));
    futures::future::join_all(unique.map(|id| fetch(id))).await
}
