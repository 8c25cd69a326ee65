//! The `buffer_unordered` stall: futures in a buffer make progress only while the
//! buffer is polled.

use std::num::NonZeroUsize;

/// Fetches every id and stores each result, with at most `limit` fetches in flight.
///
/// - A fetch, once started, is polled until it finishes, whatever the stores are doing:
///   no fetch waits for a store that is not its own.
/// - Each result is stored as soon as its fetch is done, exactly once.
/// - At most `limit` fetches are in flight at any time, and the limit is used: with
///   `limit` ids or more, `limit` fetches are in flight at once at some point. (Not at
///   every moment: a unit of work may keep its place while it stores its result.)
pub async fn fetch_and_store<T>(
    ids: Vec<u32>,
    limit: NonZeroUsize,
    fetch: impl AsyncFn(u32) -> T,
    store: impl AsyncFn(T),
) {
    let _ = (ids, fetch, store);
    todo!("fetch with at most {limit} in flight, store each result, and let no fetch stall")
}
