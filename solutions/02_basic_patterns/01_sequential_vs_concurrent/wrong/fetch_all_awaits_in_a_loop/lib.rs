//! Wrong: fetch_all awaits each fetch in a for loop: N seconds instead of 1
//! Shows: each of the 10 started only after the one before it ended (sequential)

use std::time::Duration;

/// How long one fetch takes (virtual time in the tests).
pub const LATENCY: Duration = Duration::from_secs(1);

/// Pretends to fetch a user over the network: takes `LATENCY`, then answers.
pub async fn fetch_user(id: u32) -> String {
    tokio::time::sleep(LATENCY).await;
    format!("user-{id}")
}

/// Fetches `a`, and only when it has arrived, fetches `b`.
pub async fn fetch_two_sequentially<T>(a: u32, b: u32, fetch: impl AsyncFn(u32) -> T) -> (T, T) {
    let first = fetch(a).await;
    let second = fetch(b).await;
    (first, second)
}

/// Fetches `a` and `b` at the same time, on this task, with `tokio::join!`.
pub async fn fetch_two_concurrently<T>(a: u32, b: u32, fetch: impl AsyncFn(u32) -> T) -> (T, T) {
    tokio::join!(fetch(a), fetch(b))
}

/// Runs `fetch` for every id at the same time and returns the results in the order of
/// `ids`, whatever order the fetches finish in.
pub async fn fetch_all<T>(ids: &[u32], fetch: impl AsyncFn(u32) -> T) -> Vec<T> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        out.push(fetch(id).await);
    }
    out
}
