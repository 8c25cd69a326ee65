//! Wrong: I square first and keep the even squares: a square is even exactly when its root is, so it is the same thing.
//! Stream adapters: the iterator ones, an async one, and two that know about time.

use std::time::Duration;

use tokio_stream::{Stream, StreamExt};

/// The squares of the first ten even numbers of `numbers`.
pub fn even_squares(numbers: impl Stream<Item = u64>) -> impl Stream<Item = u64> {
    // n² is even exactly when n is even.
    numbers.map(|n| n * n).filter(|sq| sq % 2 == 0).take(10)
}

/// Each id with its name, in order; each lookup starts when its item is asked for.
pub fn with_names<F, Fut>(
    ids: impl Stream<Item = u32>,
    mut lookup: F,
) -> impl Stream<Item = (u32, String)>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = String>,
{
    ids.then(move |id| {
        let name = lookup(id);
        async move { (id, name.await) }
    })
}

/// The first value above `limit`, pulling no further.
pub async fn first_above(values: impl Stream<Item = u64>, limit: u64) -> Option<u64> {
    tokio::pin!(values);
    while let Some(v) = values.next().await {
        if v > limit {
            return Some(v);
        }
    }
    None
}

/// The items until the first gap longer than `quiet`.
pub fn until_quiet<S: Stream>(stream: S, quiet: Duration) -> impl Stream<Item = S::Item> {
    stream.timeout(quiet).map_while(Result::ok)
}

/// Batches by size or by time.
pub fn batches<S: Stream>(
    stream: S,
    max_items: usize,
    max_wait: Duration,
) -> impl Stream<Item = Vec<S::Item>> {
    stream.chunks_timeout(max_items, max_wait)
}
