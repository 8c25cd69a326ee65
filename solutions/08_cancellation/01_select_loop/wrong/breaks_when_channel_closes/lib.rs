//! Wrong: `None` from `recv` ends `serve`: the download in flight and the queued ones are abandoned
//! Shows: download(a) was cut off at 50 ms (cancelled)

use std::collections::VecDeque;
use std::pin::pin;

use futures::future::{Fuse, FusedFuture, FutureExt};
use tokio::sync::mpsc::Receiver;

/// Serves download requests, one download at a time.
///
/// - Every url received from `requests` is downloaded with `download(url)`, called
///   exactly once per url, at the moment its download starts.
/// - One download runs at a time. Requests received meanwhile wait in a queue and start
///   in the order they arrived, each as soon as the one before it has finished.
/// - At most `backlog` requests wait in that queue. While it is full, `serve` receives
///   nothing more: further requests stay in the channel (whose senders then wait). With
///   `backlog == 0`, a request is received only when no download runs.
/// - Receiving a request neither restarts nor pauses the download in flight.
/// - Once every sender is dropped and the channel is empty, `serve` finishes the
///   download in flight and every queued one, then returns.
///
/// Returns each finished download as `(url, what download returned)`, in the order they
/// finished.
pub async fn serve<F, Fut>(
    mut requests: Receiver<String>,
    backlog: usize,
    mut download: F,
) -> Vec<(String, usize)>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = usize>,
{
    let mut finished = Vec::new();
    let mut queue = VecDeque::new();
    // "No download yet": a `Fuse` that is already terminated. It is pinned once, here,
    // and every download after it is `set` into the same place.
    let mut current = pin!(Fuse::terminated());
    loop {
        // Idle means the queue is empty too: a finished download starts the next one.
        let room = current.is_terminated() || queue.len() < backlog;
        tokio::select! {
            // `recv` is cancel-safe: losing the race to the download loses no request.
            // After the last sender is gone it gives `None`, which does not match
            // `Some(url)`: the branch is disabled for this turn.
            request = requests.recv(), if room => match request {
                Some(url) if current.is_terminated() => {
                    current.set(start(&mut download, url).fuse());
                }
                Some(url) => queue.push_back(url),
                // No more requests: we are done.
                None => return finished,
            },
            // `&mut current`: the same download, polled on every turn, never re-created.
            // A terminated `Fuse` would be Pending forever: the precondition disables it.
            done = &mut current, if !current.is_terminated() => {
                finished.push(done);
                if let Some(url) = queue.pop_front() {
                    current.set(start(&mut download, url).fuse());
                }
            }
            // Channel closed and drained, nothing running: every branch is disabled.
            else => return finished,
        }
    }
}

/// Starts the download of `url` (calls `download` now) and keeps the url for the result.
fn start<F, Fut>(download: &mut F, url: String) -> impl Future<Output = (String, usize)> + use<F, Fut>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = usize>,
{
    let running = download(url.clone());
    async move { (url, running.await) }
}
