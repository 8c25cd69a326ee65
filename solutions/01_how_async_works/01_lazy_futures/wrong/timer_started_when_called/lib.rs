//! Wrong: `fetch` creates its 1s sleep when it is called, so the wait starts before the first poll.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;

/// A shared, append-only record of what happened, in order.
pub type Log = Arc<Mutex<Vec<String>>>;

/// `async fn fetch(log: Log, id: u32) -> u32`, written out by hand: a plain function
/// that returns a future. When that future is first polled it logs `fetch {id}`, waits
/// 1s for the "network", logs `done {id}`, and returns `id * 10`.
// The desugared shape is the lesson here, so clippy may not fold it back into `async fn`.
#[allow(clippy::manual_async_fn)]
pub fn fetch(log: Log, id: u32) -> impl Future<Output = u32> {
    // Only the async block is deferred: anything written before it would run as soon
    // as `fetch` is called, before anyone polls the future.
    let network = tokio::time::sleep(Duration::from_secs(1));
    async move {
        log.lock().unwrap().push(format!("fetch {id}"));
        network.await;
        log.lock().unwrap().push(format!("done {id}"));
        id * 10
    }
}

/// Returns the cached value if there is one; only on a miss awaits `fetch`.
/// On a hit, `fetch` is dropped without ever being polled, so it never runs.
pub async fn cached_or(cached: Option<u32>, fetch: impl Future<Output = u32>) -> u32 {
    match cached {
        Some(value) => value,
        None => fetch.await,
    }
}

/// Starts `fetch(log, id)` right away on its own task, the way a JavaScript promise
/// starts, and returns the handle to its result.
pub fn prefetch(log: Log, id: u32) -> JoinHandle<u32> {
    tokio::spawn(fetch(log, id))
}
