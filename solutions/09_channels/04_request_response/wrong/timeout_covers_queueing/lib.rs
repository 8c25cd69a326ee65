//! Wrong: the timeout wraps the whole exchange, waiting for room in the writer's queue included, so a request that waited for room times out before the server could see it

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Why a request got no reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// No reply within the client's timeout.
    #[error("no reply within the timeout")]
    Timeout,
    /// The connection ended before the reply came.
    #[error("the connection is closed")]
    Closed,
}

/// The requests waiting for a reply, by id: `None` once the connection has ended.
type Pending = Mutex<Option<HashMap<u64, oneshot::Sender<String>>>>;

/// How many lines may wait for the writer.
const QUEUE: usize = 64;

fn lock(pending: &Pending) -> MutexGuard<'_, Option<HashMap<u64, oneshot::Sender<String>>>> {
    pending.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A request's place in the pending map: freed however the request ends.
struct Slot<'a> {
    id: u64,
    pending: &'a Pending,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some(map) = lock(self.pending).as_mut() {
            map.remove(&self.id);
        }
    }
}

/// A client that sends requests over one stream and matches each reply to its caller.
///
/// The protocol, both ways: one message per line, `<id> <body>\n`.
#[derive(Debug)]
pub struct Client {
    lines: mpsc::Sender<String>,
    pending: Arc<Pending>,
    next_id: AtomicU64,
    timeout: Duration,
    reader: JoinHandle<()>,
}

impl Client {
    /// Starts a client over `stream`.
    pub fn new<S>(stream: S, timeout: Duration) -> Self
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        let (read_half, mut write_half) = tokio::io::split(stream);
        let pending: Arc<Pending> = Arc::new(Mutex::new(Some(HashMap::new())));

        let (lines, mut queue) = mpsc::channel::<String>(QUEUE);
        let writer_pending = pending.clone();
        tokio::spawn(async move {
            while let Some(line) = queue.recv().await {
                let written = write_half.write_all(line.as_bytes()).await.is_ok()
                    && write_half.flush().await.is_ok();
                if !written {
                    // The server will never see these requests: the connection is over.
                    lock(&writer_pending).take();
                    return;
                }
            }
            let _ = write_half.shutdown().await;
        });

        let reader_pending = pending.clone();
        let reader = tokio::spawn(async move {
            let mut replies = BufReader::new(read_half).lines();
            while let Ok(Some(line)) = replies.next_line().await {
                let Some((id, body)) = line.split_once(' ') else {
                    continue;
                };
                let Ok(id) = id.parse::<u64>() else {
                    continue;
                };
                let waiting = lock(&reader_pending).as_mut().and_then(|map| map.remove(&id));
                if let Some(reply) = waiting {
                    let _ = reply.send(body.to_string());
                }
            }
            // No reply can come any more: every waiting caller hears it now.
            lock(&reader_pending).take();
        });

        Self {
            lines,
            pending,
            next_id: AtomicU64::new(0),
            timeout,
            reader,
        }
    }

    /// Sends `body` as a request and waits for its reply.
    pub async fn request(&self, body: &str) -> Result<String, RequestError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (reply, answer) = oneshot::channel();
        match lock(&self.pending).as_mut() {
            Some(map) => {
                map.insert(id, reply);
            }
            None => return Err(RequestError::Closed),
        }
        let _slot = Slot {
            id,
            pending: &self.pending,
        };
        let exchange = async {
            self.lines
                .send(format!("{id} {body}\n"))
                .await
                .map_err(|_| RequestError::Closed)?;
            answer.await.map_err(|_| RequestError::Closed)
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(outcome) => outcome,
            Err(_) => Err(RequestError::Timeout),
        }
    }

    /// How many requests are waiting for a reply.
    pub fn pending(&self) -> usize {
        lock(&self.pending).as_ref().map_or(0, HashMap::len)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.reader.abort();
    }
}
