//! Wrong: For each item I race a fresh sleep(quiet) against next() in a biased select!, the timer first so a quiet source is never waited on too long.
//! Stream adapters: the iterator ones, an async one, and two that know about time.

use std::time::Duration;

use tokio_stream::{Stream, StreamExt};

/// The squares of the first ten even numbers of `numbers`.
pub fn even_squares(numbers: impl Stream<Item = u64>) -> impl Stream<Item = u64> {
    numbers.filter(|n| n % 2 == 0).map(|n| n * n).take(10)
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

/// The items until a gap of `quiet`.
pub fn until_quiet<S: Stream>(stream: S, quiet: Duration) -> impl Stream<Item = S::Item> {
    futures::stream::unfold(Box::pin(stream), move |mut stream| async move {
        tokio::select! {
            biased;
            _ = tokio::time::sleep(quiet) => None,
            item = stream.next() => item.map(|item| (item, stream)),
        }
    })
}

/// Batches by size or by time.
pub fn batches<S: Stream>(
    stream: S,
    max_items: usize,
    max_wait: Duration,
) -> impl Stream<Item = Vec<S::Item>> {
    stream.chunks_timeout(max_items, max_wait)
}
