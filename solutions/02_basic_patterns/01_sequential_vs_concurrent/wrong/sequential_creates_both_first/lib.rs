//! Wrong: in the sequential version I create both futures up front, then await a, then b: b still waits for a.
//! Class: second future created before the first finished
//! Breaks: "Sequential: the second fetch is not even created until the first has finished." (README.md)

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
    let first = fetch(a);
    let second = fetch(b);
    let first = first.await;
    (first, second.await)
}

/// Fetches `a` and `b` with `fetch` at the same time, on this task, with `tokio::join!`.
pub async fn fetch_two_concurrently<T>(a: u32, b: u32, fetch: impl AsyncFn(u32) -> T) -> (T, T) {
    tokio::join!(fetch(a), fetch(b))
}

/// Runs `fetch` for every id at the same time and returns the results in the order of
/// `ids`, whatever order the fetches finish in.
pub async fn fetch_all<T>(ids: &[u32], fetch: impl AsyncFn(u32) -> T) -> Vec<T> {
    futures::future::join_all(ids.iter().map(|&id| fetch(id))).await
}

