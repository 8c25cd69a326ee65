//! Wrong: I believed calling `download(url)` does nothing until the future is polled, so I make each request's future when it is received and queue the futures themselves.

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
    // Each waiting request, already turned into its (not yet polled) download.
    let mut queue = VecDeque::new();
    let mut finished = Vec::new();
    let mut current = std::pin::pin!(Fuse::terminated());
    loop {
        let room = current.is_terminated() || queue.len() < backlog;
        tokio::select! {
            Some(url) = requests.recv(), if room => {
                let bytes = download(url.clone());
                let job = tagged(url, bytes);
                if current.is_terminated() {
                    current.set(job.fuse());
                } else {
                    queue.push_back(job);
                }
            }
            done = &mut current, if !current.is_terminated() => {
                finished.push(done);
                if let Some(job) = queue.pop_front() {
                    current.set(job.fuse());
                }
            }
            else => return finished,
        }
    }
}
