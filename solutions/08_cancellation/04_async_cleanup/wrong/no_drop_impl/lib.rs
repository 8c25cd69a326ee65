//! Wrong: no destructor: the sink is closed when the log is dropped anyway, so nothing needs reporting
//! Shows: task: log held across sleep was cut off at 10 ms (cancelled)

use std::io;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncWrite, AsyncWriteExt};

/// Where a [`BufferedLog`] reports, when it is dropped without [`BufferedLog::close`],
/// that close was skipped and how many lines were lost.
pub type Alarms = Arc<Mutex<Vec<String>>>;

/// A log that buffers lines in memory and writes them to `sink` when flushed.
///
/// Close it with `close().await`. Dropped without that, it cannot write anything (a
/// destructor cannot `.await`): it records one alarm in its [`Alarms`] instead,
/// `"dropped without close(): N unflushed lines lost"`, N being the lines logged since
/// the last successful flush (0 too: the sink was never shut down).
pub struct BufferedLog<W> {
    sink: W,
    buffer: Vec<u8>,
    lines: usize,
    alarms: Alarms,
    closed: bool,
}

impl<W: AsyncWrite + Unpin> BufferedLog<W> {
    /// A log over `sink`, with nothing buffered, reporting to `alarms`.
    pub fn new(sink: W, alarms: Alarms) -> Self {
        BufferedLog {
            sink,
            buffer: Vec::new(),
            lines: 0,
            alarms,
            closed: false,
        }
    }

    /// Buffers `line` and a `\n`. Writes nothing.
    pub fn log(&mut self, line: &str) {
        self.buffer.extend_from_slice(line.as_bytes());
        self.buffer.push(b'\n');
        self.lines += 1;
    }

    /// Writes every buffered line to the sink, all of it, then flushes the sink. After
    /// it nothing is buffered; on an error the lines stay buffered.
    pub async fn flush(&mut self) -> io::Result<()> {
        // `write` may take only part of the bytes; `write_all` loops until all are in.
        self.sink.write_all(&self.buffer).await?;
        self.sink.flush().await?;
        self.buffer.clear();
        self.lines = 0;
        Ok(())
    }

    /// Flushes, then shuts the sink down. After a successful close, dropping the log
    /// records no alarm.
    pub async fn close(mut self) -> io::Result<()> {
        self.flush().await?;
        self.sink.shutdown().await?;
        self.closed = true;
        Ok(())
    }
}

