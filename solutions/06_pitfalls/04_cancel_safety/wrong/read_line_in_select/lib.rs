//! Wrong: the README's loop: `read_line` into a fresh `String` inside `select!`, so a tick mid-line drops the half-read line
//! Shows: write "hel"

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
    loop {
        let mut line = String::new();
        tokio::select! {
            n = reader.read_line(&mut line) => {
                if n? == 0 {
                    return Ok(report);
                }
                let message = line.strip_suffix('\n').unwrap_or(&line);
                report.messages.push(message.to_owned());
            }
            _ = heartbeat.tick() => report.ticks += 1,
        }
    }
}
