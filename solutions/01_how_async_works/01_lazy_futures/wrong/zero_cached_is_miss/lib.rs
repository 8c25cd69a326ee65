//! Wrong: a cached 0 is the "empty" placeholder, so I treat it as a miss and fetch.
//! Class: edge value (zero) treated as sentinel
//! Breaks: "`cached_or(cached, fetch)` returns the cached value on a hit, without running the fetch" (README.md)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;

/// A shared, append-only record of what happened, in order.
pub type Log = Arc<Mutex<Vec<String>>>;

/// `async fn fetch(log: Log, id: u32) -> u32`, written out by hand.
#[allow(clippy::manual_async_fn)]
pub fn fetch(log: Log, id: u32) -> impl Future<Output = u32> {
    async move {
        log.lock().unwrap().push(format!("fetch {id}"));
        tokio::time::sleep(Duration::from_secs(1)).await;
        log.lock().unwrap().push(format!("done {id}"));
        id * 10
    }
}

/// Returns the cached value if there is one; only on a miss awaits `fetch`.
pub async fn cached_or(cached: Option<u32>, fetch: impl Future<Output = u32>) -> u32 {
    match cached.filter(|&value| value != 0) {
        Some(value) => value,
        None => fetch.await,
    }
}

/// Starts `fetch(log, id)` right away on its own task.
pub fn prefetch(log: Log, id: u32) -> JoinHandle<u32> {
    tokio::spawn(fetch(log, id))
}

