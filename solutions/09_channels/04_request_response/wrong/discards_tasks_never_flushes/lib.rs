//! Wrong: the reference as it was until issue 27: the writer half dropped unflushed and not shut down, both task handles discarded (the reader outlives the client), a failed write left to time out

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};

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
}

impl Client {
    /// Starts a client over `stream` (spawns its reader and writer tasks, so call it
    /// inside a runtime). Every request waits at most `timeout` for its reply.
    pub fn new<S>(stream: S, timeout: Duration) -> Self
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        let (reader, mut writer) = tokio::io::split(stream);
        let pending: Pending = Arc::new(Mutex::new(Some(HashMap::new())));

        // One writer task writes whole lines: a caller cancelled mid-write cannot
        // leave half a line on the stream.
        let (lines, mut outbox) = mpsc::channel::<String>(64);
        tokio::spawn(async move {
            while let Some(line) = outbox.recv().await {
                if writer.write_all(line.as_bytes()).await.is_err() {
                    break;
                }
            }
        });

        let routes = pending.clone();
        tokio::spawn(async move {
            let mut replies = BufReader::new(reader).lines();
            while let Ok(Some(line)) = replies.next_line().await {
                let Some((id, body)) = line.split_once(' ') else {
                    continue; // not a reply: skip it
                };
                let Ok(id) = id.parse::<u64>() else { continue };
                let waiter = routes
                    .lock()
                    .unwrap()
                    .as_mut()
                    .and_then(|map| map.remove(&id));
                // No waiter: a late reply to a request that timed out. Ignore it.
                if let Some(waiter) = waiter {
                    let _ = waiter.send(body.to_string());
                }
            }
            // The connection ended: drop every waiter's Sender (they get Closed), and
            // refuse new requests.
            routes.lock().unwrap().take();
        });

        Self {
            lines,
            pending,
            next_id: AtomicU64::new(1),
            timeout,
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
        match self.pending.lock().unwrap().as_mut() {
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
            Ok(Err(_)) => Err(RequestError::Closed), // the reader dropped our Sender
            Err(_) => Err(RequestError::Timeout),
        }
    }

    /// How many requests are waiting for a reply: a request counts from the moment it is
    /// made until it ends.
    pub fn pending(&self) -> usize {
        self.pending
            .lock()
            .unwrap()
            .as_ref()
            .map_or(0, HashMap::len)
    }
}

/// Removes a request's id from the pending map when the request ends, however it ends.
struct Slot<'a> {
    id: u64,
    pending: &'a Pending,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some(map) = self.pending.lock().unwrap().as_mut() {
            map.remove(&self.id);
        }
    }
}
