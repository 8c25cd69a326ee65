//! Stream adapters: the iterator ones, an async one, and two that know about time.

use std::time::Duration;

// One StreamExt only: tokio_stream's has `timeout` and `chunks_timeout`, futures' has not.
use tokio_stream::{Stream, StreamExt};

/// The squares of the first ten even numbers of `numbers` (the seed's pipeline).
pub fn even_squares(numbers: impl Stream<Item = u64>) -> impl Stream<Item = u64> {
    numbers.filter(|n| n % 2 == 0).map(|n| n * n).take(10)
}

/// Each id with the name `lookup` finds for it, in the order of the ids. Each lookup
/// starts only when the consumer asks for the next item.
pub fn with_names<F, Fut>(
    ids: impl Stream<Item = u32>,
    mut lookup: F,
) -> impl Stream<Item = (u32, String)>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = String>,
{
    // `map` would give a stream of futures; `then` awaits each one before the next item.
    ids.then(move |id| {
        let name = lookup(id);
        async move { (id, name.await) }
    })
}

/// The first value above `limit`, pulling no further; `None` if the stream ends first.
pub async fn first_above(values: impl Stream<Item = u64>, limit: u64) -> Option<u64> {
    // `next()` needs `Unpin`; an arbitrary stream (async blocks inside) is not. Pinning
    // it on the stack promises it will not move again, which is all `poll_next` needs.
    tokio::pin!(values);
    while let Some(value) = values.next().await {
        if value > limit {
            return Some(value);
        }
    }
    None
}

/// The items of `stream` until the first gap longer than `quiet` (or its end). A gap of
/// exactly `quiet` is not longer: the item that comes as the timer runs out is kept.
pub fn until_quiet<S: Stream>(stream: S, quiet: Duration) -> impl Stream<Item = S::Item> {
    // `timeout` restarts its timer after every item and yields `Err(Elapsed)` when one
    // runs out; `map_while` ends the stream at the first `None`, i.e. the first gap.
    stream.timeout(quiet).map_while(Result::ok)
}

/// Groups items into batches of at most `max_items` (0 counts as 1); a batch is also
/// sent once `max_wait` has passed since its first item, and whatever is left at the end.
pub fn batches<S: Stream>(
    stream: S,
    max_items: usize,
    max_wait: Duration,
) -> impl Stream<Item = Vec<S::Item>> {
    // `chunks_timeout` asserts `max_items > 0`: a batch must be able to hold one item.
    stream.chunks_timeout(max_items.max(1), max_wait)
}
