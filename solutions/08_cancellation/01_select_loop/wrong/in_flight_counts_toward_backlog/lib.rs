//! Wrong: I believed the download in flight is one of the `backlog` requests held, so there is room when idle or while `queue + running < backlog`.

use std::collections::VecDeque;

use futures::future::{Fuse, FusedFuture, FutureExt};
use tokio::sync::mpsc::Receiver;

/// Awaits one download and keeps its url beside the result.
async fn tagged<Fut: Future<Output = usize>>(url: String, bytes: Fut) -> (String, usize) {
    (url, bytes.await)
}

/// Serves download requests, one download at a time.
pub async fn serve<F, Fut>(
    mut requests: Receiver<String>,
    backlog: usize,
    mut download: F,
) -> Vec<(String, usize)>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = usize>,
{
    let mut queue: VecDeque<String> = VecDeque::new();
    let mut finished = Vec::new();
    let mut current = std::pin::pin!(Fuse::terminated());
    loop {
        // Everything held: the queue plus the one running.
        let held = queue.len() + usize::from(!current.is_terminated());
        let room = current.is_terminated() || held < backlog;
        tokio::select! {
            Some(url) = requests.recv(), if room => {
                if current.is_terminated() {
                    let bytes = download(url.clone());
                    current.set(tagged(url, bytes).fuse());
                } else {
                    queue.push_back(url);
                }
            }
            done = &mut current, if !current.is_terminated() => {
                finished.push(done);
                if let Some(url) = queue.pop_front() {
                    let bytes = download(url.clone());
                    current.set(tagged(url, bytes).fuse());
                }
            }
            else => return finished,
        }
    }
}
