//! Wrong: a new `Lines` over the one `BufReader` in every iteration: the partial line is kept in the `Lines`, dropped after a tick

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
        let mut lines = (&mut reader).lines();
        tokio::select! {
            line = lines.next_line() => match line? {
                Some(line) => report.messages.push(line),
                None => return Ok(report),
            },
            _ = heartbeat.tick() => report.ticks += 1,
        }
    }
}
