//! Wrong: fetch_two_sequentially joins both fetches: they overlap, 1 s instead of 2 s
//! Shows: fetch_user(1) and fetch_user(2) ran side by side (concurrent)

use std::time::Duration;

use futures::future::join_all;

/// How long one fetch takes (virtual time in the tests).
pub const LATENCY: Duration = Duration::from_secs(1);

/// Pretends to fetch a user over the network: takes `LATENCY`, then answers.
pub async fn fetch_user(id: u32) -> String {
    tokio::time::sleep(LATENCY).await;
    format!("user-{id}")
}

/// Fetches `a`, and only when it has arrived, fetches `b`.
pub async fn fetch_two_sequentially<T>(a: u32, b: u32, fetch: impl AsyncFn(u32) -> T) -> (T, T) {
    tokio::join!(fetch(a), fetch(b))
}

/// Fetches `a` and `b` at the same time, on this task, with `tokio::join!`.
pub async fn fetch_two_concurrently<T>(a: u32, b: u32, fetch: impl AsyncFn(u32) -> T) -> (T, T) {
    tokio::join!(fetch(a), fetch(b))
}

/// Runs `fetch` for every id at the same time and returns the results in the order of
/// `ids`, whatever order the fetches finish in.
pub async fn fetch_all<T>(ids: &[u32], fetch: impl AsyncFn(u32) -> T) -> Vec<T> {
    // Calling `fetch` only builds the futures; `join_all` polls them all together
    // and hands the outputs back in the order the futures were given.
    join_all(ids.iter().map(|&id| fetch(id))).await
}
