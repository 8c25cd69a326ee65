//! Wrong: `buffer_unordered(limit)` with `store(value).await` in the `while let` body: the buffered fetches are not polled during a store
//! Shows: 500 ms in all
//! The `buffer_unordered` stall: futures in a buffer make progress only while the
//! buffer is polled.

use std::num::NonZeroUsize;

use futures::StreamExt;

/// Fetches every id and stores each result, with at most `limit` fetches in flight.
///
/// - A fetch, once started, is polled until it finishes, whatever the stores are doing:
///   no fetch waits for a store that is not its own.
/// - Each result is stored as soon as its fetch is done, exactly once.
/// - At most `limit` fetches are in flight at any time, and `limit` of them are when
///   there is work enough.
pub async fn fetch_and_store<T>(
    ids: Vec<u32>,
    limit: NonZeroUsize,
    fetch: impl AsyncFn(u32) -> T,
    store: impl AsyncFn(T),
) {
    let fetch = &fetch;
    // Up to `limit` fetches at once, results in the order they finish.
    let mut results = futures::stream::iter(ids)
        .map(|id| fetch(id))
        .buffer_unordered(limit.get());
    while let Some(value) = results.next().await {
        store(value).await;
    }
}
