//! Wrong: only lines that end in a newline count: a last line without one is dropped

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
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
    let mut reader = BufReader::new(reader);
    let mut heartbeat = time::interval_at(Instant::now() + period, period);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut report = Report::default();
    let mut buf = Vec::new();
    loop {
        tokio::select! {
            n = reader.read_until(b'\n', &mut buf) => {
                if n? == 0 {
                    return Ok(report);
                }
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                    report.messages.push(String::from_utf8_lossy(&buf).into_owned());
                    buf.clear();
                }
            }
            _ = heartbeat.tick() => report.ticks += 1,
        }
    }
}
