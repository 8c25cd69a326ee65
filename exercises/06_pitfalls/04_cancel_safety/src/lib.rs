//! Cancellation safety: read README.md beside this folder, then make the tests pass.

use std::io;
use std::time::Duration;

use tokio::io::AsyncRead;

/// What `relay` saw.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Every message, in order: a line without its `\n` or `\r\n` (a last line may lack
    /// one).
    pub messages: Vec<String>,
    /// Heartbeats sent while reading: one every `period`, the first `period` after the start.
    pub ticks: u32,
}

/// Reads newline-terminated messages from `reader` until it ends, and meanwhile sends a
/// heartbeat (here: counts a tick) every `period`.
pub async fn relay<R>(reader: R, period: Duration) -> io::Result<Report>
where
    R: AsyncRead + Unpin,
{
    let _ = reader;
    todo!("one select! loop: a message, or a heartbeat every {period:?}")
}
