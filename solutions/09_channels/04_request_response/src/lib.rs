//! Request/response over one stream: read README.md beside this folder, then make the
//! tests pass.

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

/// The callers waiting for a reply, by request id; `None` once the connection ended.
type Pending = Arc<Mutex<Option<HashMap<u64, oneshot::Sender<String>>>>>;

/// The pending map, locked. Every change to it is one insert, remove or take, so a panic
/// elsewhere while it was locked cannot leave it half-changed: a poisoned lock is used
/// as it is, and nothing here panics because of one (not even in `Drop`).
fn lock(pending: &Pending) -> MutexGuard<'_, Option<HashMap<u64, oneshot::Sender<String>>>> {
    pending.lock().unwrap_or_else(PoisonError::into_inner)
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
    pending: Pending,
    next_id: AtomicU64,
    timeout: Duration,
    /// Aborted when the client is dropped: nobody is left to read replies for, and its
    /// read half would keep the stream open.
    reader: JoinHandle<()>,
}

impl Client {
    /// Starts a client over `stream` (spawns its reader and writer tasks, so call it
    /// inside a runtime). Every request waits at most `timeout` for its reply, from when
    /// its line is queued for writing: the writer's queue is bounded, 1024 lines at most,
    /// and a request that waits for room in it has not started its timeout yet. Each
    /// request's line is flushed once written. The end of the stream the client reads
    /// ends the connection (even if the server still reads), and a failed write ends it
    /// just the same. Dropping the client ends its side of the connection: neither task
    /// outlives it for long (the writer shuts its half down first).
    pub fn new<S>(stream: S, timeout: Duration) -> Self
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        let (reader, mut writer) = tokio::io::split(stream);
        let pending: Pending = Arc::new(Mutex::new(Some(HashMap::new())));

        // One writer task writes whole lines: a caller cancelled mid-write cannot
        // leave half a line on the stream. It ends when the client is dropped (the
        // last `Sender` of its queue goes) or when a write fails; it needs no handle.
        let (lines, mut outbox) = mpsc::channel::<String>(64);
        let failed = pending.clone();
        tokio::spawn(async move {
            while let Some(line) = outbox.recv().await {
                // Flushed line by line: over a buffered stream, a request that sits in
                // a buffer is a request the server never sees.
                let written = async {
                    writer.write_all(line.as_bytes()).await?;
                    writer.flush().await
                };
                if written.await.is_err() {
                    // A connection that cannot send cannot be answered: fail the
                    // waiting callers now (Closed), not at their timeouts.
                    lock(&failed).take();
                    return;
                }
            }
            // The client is gone: flush what is buffered and close our direction, so
            // the server sees the end of the stream. Nobody is left to tell of an error.
            let _ = writer.shutdown().await;
        });

        let routes = pending.clone();
        let reader = tokio::spawn(async move {
            let mut replies = BufReader::new(reader).lines();
            while let Ok(Some(line)) = replies.next_line().await {
                let Some((id, body)) = line.split_once(' ') else {
                    continue; // not a reply: skip it
                };
                let Ok(id) = id.parse::<u64>() else { continue };
                let waiter = lock(&routes).as_mut().and_then(|map| map.remove(&id));
                // No waiter: a late reply to a request that timed out. Ignore it.
                if let Some(waiter) = waiter {
                    let _ = waiter.send(body.to_string());
                }
            }
            // The connection ended: drop every waiter's Sender (they get Closed), and
            // refuse new requests.
            lock(&routes).take();
        });

        Self {
            lines,
            pending,
            next_id: AtomicU64::new(1),
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
            Some(map) => map.insert(id, reply),
            None => return Err(RequestError::Closed),
        };
        // From here on, however this future ends, the slot is freed.
        let _slot = Slot {
            id,
            pending: &self.pending,
        };
        let line = format!("{id} {body}\n");
        self.lines
            .send(line)
            .await
            .map_err(|_| RequestError::Closed)?;
        match tokio::time::timeout(self.timeout, answer).await {
            Ok(Ok(body)) => Ok(body),
            // The reader (end of stream) or the writer (a failed write) dropped our Sender.
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
        // The writer task ends by itself, after shutting its half down; the reader
        // would wait for the server for ever.
        self.reader.abort();
    }
}

/// Removes a request's id from the pending map when the request ends, however it ends.
struct Slot<'a> {
    id: u64,
    pending: &'a Pending,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        // A destructor must not panic (08.04): `lock` does not, even on a poisoned lock.
        if let Some(map) = lock(self.pending).as_mut() {
            map.remove(&self.id);
        }
    }
}
