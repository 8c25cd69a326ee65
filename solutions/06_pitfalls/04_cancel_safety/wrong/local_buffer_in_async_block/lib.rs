//! Wrong: an `async` block reads a message byte by byte into a local `Vec`, which a tick drops with the block

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, BufReader};
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
        // `read_u8` is cancel-safe: one byte is read, or none.
        let next_message = async {
            let mut line = Vec::new();
            loop {
                match reader.read_u8().await {
                    Ok(b'\n') => return Ok(Some(line)),
                    Ok(byte) => line.push(byte),
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                        return Ok((!line.is_empty()).then_some(line));
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        tokio::select! {
            message = next_message => match message? {
                Some(bytes) => report.messages.push(String::from_utf8_lossy(&bytes).into_owned()),
                None => return Ok(report),
            },
            _ = heartbeat.tick() => report.ticks += 1,
        }
    }
}
