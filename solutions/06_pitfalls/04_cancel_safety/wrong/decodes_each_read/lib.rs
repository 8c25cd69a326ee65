//! Wrong: each `read` is decoded to text as it arrives, so a character split between two reads is garbled

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::time::{self, Instant, MissedTickBehavior};

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
    let mut reader = reader;
    let mut heartbeat = time::interval_at(Instant::now() + period, period);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut report = Report::default();
    // Text received so far; `read` is cancel-safe and this outlives every iteration.
    let mut pending = String::new();
    let mut chunk = [0u8; 1024];
    loop {
        tokio::select! {
            n = reader.read(&mut chunk) => {
                let n = n?;
                if n == 0 {
                    if !pending.is_empty() {
                        report.messages.push(std::mem::take(&mut pending));
                    }
                    return Ok(report);
                }
                pending.push_str(&String::from_utf8_lossy(&chunk[..n]));
                while let Some(end) = pending.find('\n') {
                    report.messages.push(pending[..end].to_owned());
                    pending.drain(..=end);
                }
            }
            _ = heartbeat.tick() => report.ticks += 1,
        }
    }
}
