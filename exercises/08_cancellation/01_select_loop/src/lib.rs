//! `select!` in a loop: read README.md beside this folder, then make the tests pass.

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
    requests: Receiver<String>,
    backlog: usize,
    download: F,
) -> Vec<(String, usize)>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = usize>,
{
    let _ = (requests, download);
    todo!(
        "one select! loop: receive a request (room in a backlog of {backlog}), or finish the download in flight"
    )
}
