//! Stream adapters: the iterator ones, an async one, and two that know about time.

use std::time::Duration;

use tokio_stream::Stream;

/// The squares of the first ten even numbers of `numbers` (the seed's pipeline).
pub fn even_squares(numbers: impl Stream<Item = u64>) -> impl Stream<Item = u64> {
    let _ = numbers;
    // The stream below panics when polled: replace it with yours.
    futures::stream::poll_fn(|_| todo!("keep the even numbers, square them, take ten"))
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
    let _ = (ids, &mut lookup);
    // The stream below panics when polled: replace it with yours.
    futures::stream::poll_fn(|_| todo!("`then`: await the lookup of each id, in order"))
}

/// The first value above `limit`, pulling no further; `None` if the stream ends first.
pub async fn first_above(values: impl Stream<Item = u64>, limit: u64) -> Option<u64> {
    let _ = values;
    todo!("the first value above {limit}: pin the stream, then loop on next()")
}

/// The items of `stream` until the first gap longer than `quiet` (or its end). A gap of
/// exactly `quiet` is not longer: the item that comes as the timer runs out is kept.
pub fn until_quiet<S: Stream>(stream: S, quiet: Duration) -> impl Stream<Item = S::Item> {
    let _ = (stream, quiet);
    // The stream below panics when polled: replace it with yours.
    futures::stream::poll_fn(|_| todo!("end the stream at the first gap longer than quiet"))
}

/// Groups items into batches of at most `max_items` (0 counts as 1); a batch is also
/// sent once `max_wait` has passed since its first item, and whatever is left at the end.
pub fn batches<S: Stream>(
    stream: S,
    max_items: usize,
    max_wait: Duration,
) -> impl Stream<Item = Vec<S::Item>> {
    let _ = (stream, max_items, max_wait);
    // The stream below panics when polled: replace it with yours.
    futures::stream::poll_fn(|_| todo!("batches by size or by time, whichever comes first"))
}
