//! The `buffer_unordered` stall: futures in a buffer make progress only while the
//! buffer is polled.

use std::num::NonZeroUsize;

/// Fetches every id and stores each result, with at most `limit` fetches in flight.
///
/// - A fetch, once started, is polled until it finishes, whatever the stores are doing:
///   no fetch waits for a store that is not its own.
/// - Each result is stored as soon as its fetch is done, exactly once (stores may
///   overlap one another); when this returns, every store has finished.
/// - At most `limit` fetches are in flight at any time, and no place sits free while an
///   id waits: a new fetch starts as soon as a place is free, not when a whole batch is
///   done. A unit of work may keep its place while it stores its result, or hand it on
///   to the next fetch.
pub async fn fetch_and_store<T>(
    ids: Vec<u32>,
    limit: NonZeroUsize,
    fetch: impl AsyncFn(u32) -> T,
    store: impl AsyncFn(T),
) {
    let _ = (ids, fetch, store);
    todo!("fetch with at most {limit} in flight, store each result, and let no fetch stall")
}
