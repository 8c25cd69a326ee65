//! Tracing a request that fans out to spawned tasks: spans that follow the work.

use tokio::task::JoinError;

/// Handles one request: fetches every key in a task of its own, all at once (every task
/// spawned before any is awaited), then adds up the lengths.
///
/// What it must record, for a subscriber to see:
/// - one span named `request` with one field, `id` (not the keys: a request may have
///   thousands), around all of its work: the same span, made once, for all that follows;
/// - for each key (a key given twice is fetched twice), the `fetch` span (see [`fetch`])
///   as a child of that `request` span, although it runs in a task spawned with
///   `tokio::spawn`;
/// - once every fetch is done, an info event `done` with the field `total`, in the
///   `request` span (with no keys too: the total is then 0).
///
/// The spans are at the info level, as `#[tracing::instrument]` and `info_span!` make
/// them. A field may be recorded as a value, with `%` or with `?`: a subscriber that
/// shows strings unquoted reads `key=ab` in all three. The order in which the fetches
/// finish is not part of the spec.
///
/// Returns the sum of the lengths, or the `JoinError` of a fetch task that failed (one
/// that panicked). Whether `done` is logged then, and whether the other fetches run to
/// their end, is not part of the spec.
pub async fn handle(id: u64, keys: Vec<String>) -> Result<usize, JoinError> {
    todo!("request {id}: spawn a fetch for each of {keys:?} in the request's span, add up")
}

/// Fetches one key (here: yields to the scheduler once, then "finds" a value as long as
/// the key). Records a span named `fetch` with one field, `key`, and in it an info event
/// `fetched` with the field `len`.
pub async fn fetch(key: String) -> usize {
    todo!(
        "in a `fetch` span with the key: yield once, log `fetched` with len = {}",
        key.len()
    )
}
