//! Request/response over one stream: read README.md beside this folder, then make the
//! tests pass.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

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
    // Add the fields you need.
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
        let _ = stream;
        todo!("split the stream; a reader task routing replies by id; a {timeout:?} per request")
    }

    /// Sends `body` (one line: no `\n` in it) as a request and waits for its reply:
    /// `Ok(reply body)`, `Err(Timeout)` after the client's timeout, `Err(Closed)` as
    /// soon as the connection ends. However the call ends (a reply, a timeout, the
    /// caller dropping it), its id no longer counts as pending, and a reply that comes
    /// for it later is ignored.
    pub async fn request(&self, body: &str) -> Result<String, RequestError> {
        todo!(
            "a fresh id, a oneshot in the pending map, the line {body:?} written, the reply awaited"
        )
    }

    /// How many requests are waiting for a reply: a request counts from the moment it is
    /// made until it ends.
    pub fn pending(&self) -> usize {
        todo!("the size of the pending map")
    }
}
