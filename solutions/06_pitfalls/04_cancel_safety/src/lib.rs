//! Cancellation safety: read README.md beside this folder, then make the tests pass.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::time::{self, Instant, MissedTickBehavior};

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
/// heartbeat (here: counts a tick) every `period`, whatever the messages do; after a
/// stall, one late heartbeat and then every `period` again, not a burst of catch-up ones.
pub async fn relay<R>(reader: R, period: Duration) -> io::Result<Report>
where
    R: AsyncRead + Unpin,
{
    // One `Lines` for the whole loop: it owns the buffer, partial line included.
    let mut lines = BufReader::new(reader).lines();
    // `interval` would tick at once; the first heartbeat is due one period from now.
    let mut heartbeat = time::interval_at(Instant::now() + period, period);
    // After a stall, one late heartbeat and then the period again: the default `Burst`
    // would send every missed one at once to catch up.
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut report = Report::default();
    loop {
        tokio::select! {
            // `next_line` is cancel-safe: when the tick wins, the bytes of a half-read
            // line stay in `lines`, and the next call carries on from them.
            line = lines.next_line() => match line? {
                Some(line) => report.messages.push(line),
                None => return Ok(report),
            },
            _ = heartbeat.tick() => report.ticks += 1,
        }
    }
}
