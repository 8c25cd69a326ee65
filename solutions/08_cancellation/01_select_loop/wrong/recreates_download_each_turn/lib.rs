//! Wrong: the download is written in its `select!` branch, so every turn of the loop calls `download` again
//! Shows: cut off (cancelled): download(a) at 30 ms and download(a) at 60 ms

use std::collections::VecDeque;
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
    // The url being downloaded, if any.
    let mut current: Option<String> = None;
    loop {
        let room = current.is_none() || queue.len() < backlog;
        tokio::select! {
            Some(url) = requests.recv(), if room => {
                if current.is_none() {
                    current = Some(url);
                } else {
                    queue.push_back(url);
                }
            }
            bytes = download(current.clone().unwrap_or_default()), if current.is_some() => {
                let url = current.take().unwrap_or_default();
                finished.push((url, bytes));
                current = queue.pop_front();
            }
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
