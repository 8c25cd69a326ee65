//! Wrong: when the client goes its write half is dropped, and dropping a stream closes it; shutdown is only needed for sockets

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

/// The waiting callers, by request id; `None` once the connection has ended.
type Pending = Mutex<Option<HashMap<u64, oneshot::Sender<String>>>>;

/// Locks the pending map, even if a panic poisoned it (a `Drop` must not panic).
fn lock(pending: &Pending) -> MutexGuard<'_, Option<HashMap<u64, oneshot::Sender<String>>>> {
    pending.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A request's place in the pending map, freed however the request ends.
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
/// The protocol, both ways: one message per line, `<id> <body>\n`, where `<id>` is a
/// decimal number and `<body>` the rest of the line after the first space. A request's
/// id is unique among this client's requests; the reply carries the same id, and replies
/// may come in any order, a line in several pieces or several lines in one. A line from
/// the server that is not `<id> <body>` with a decimal id, or whose id nobody waits for
/// any more (a late or a second reply), is skipped.
#[derive(Debug)]
pub struct Client {
    lines: mpsc::Sender<String>,
    pending: Arc<Pending>,
    next_id: AtomicU64,
    timeout: Duration,
    reader: JoinHandle<()>,
}

impl Client {
    /// Starts a client over `stream` (spawns its reader and writer tasks, so call it
    /// inside a runtime). Every request waits at most `timeout` for its reply, from when
    /// its line is queued for writing. Each request's line is flushed once written. The
    /// end of the stream the client reads ends the connection (even if the server still
    /// reads), and a failed write ends it just the same. Dropping the client ends its side of the connection:
    /// neither task outlives it for long (the writer shuts its half down first).
    pub fn new<S>(stream: S, timeout: Duration) -> Self
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        let (read_half, mut write_half) = tokio::io::split(stream);
        let pending: Arc<Pending> = Arc::new(Mutex::new(Some(HashMap::new())));
        let (lines, mut queue) = mpsc::channel::<String>(64);

        let writer_pending = Arc::clone(&pending);
        tokio::spawn(async move {
            while let Some(line) = queue.recv().await {
                let written = async {
                    write_half.write_all(line.as_bytes()).await?;
                    write_half.flush().await
                }
                .await;
                if written.is_err() {
                    // The server will never see these requests: the connection is over.
                    lock(&writer_pending).take();
                    return;
                }
            }
        });

        let reader_pending = Arc::clone(&pending);
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
            // No reply can come any more: every waiting caller learns it now.
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

    /// Sends `body` (one line: no `\n` in it) as a request and waits for its reply:
    /// `Ok(reply body)`, `Err(Timeout)` after the client's timeout, `Err(Closed)` as
    /// soon as the connection ends. However the call ends (a reply, a timeout, the
    /// caller dropping it), its id no longer counts as pending, and a reply that comes
    /// for it later is ignored.
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
        if self.lines.send(format!("{id} {body}\n")).await.is_err() {
            return Err(RequestError::Closed);
        }
        match tokio::time::timeout(self.timeout, answer).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) => Err(RequestError::Closed),
            Err(_) => Err(RequestError::Timeout),
        }
    }

    /// How many requests are waiting for a reply: a request counts from the moment it is
    /// made until it ends.
    pub fn pending(&self) -> usize {
        lock(&self.pending).as_ref().map_or(0, HashMap::len)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // The reader would wait for the server's next line for ever.
        self.reader.abort();
    }
}
