//! Wrong: a `sleep(period)` made anew in every iteration: each message restarts it, so a steady stream gets no heartbeat

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::time;

/// What `relay` saw.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Every message, in order: a line without its `\n` (a last line may lack one).
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
    let mut lines = BufReader::new(reader).lines();
    let mut report = Report::default();
    loop {
        tokio::select! {
            line = lines.next_line() => match line? {
                Some(line) => report.messages.push(line),
                None => return Ok(report),
            },
            _ = time::sleep(period) => report.ticks += 1,
        }
    }
}
