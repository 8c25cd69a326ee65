//! Cleanup without async `Drop`: an explicit `close().await`, and a destructor that
//! reports what was skipped instead of pretending to clean up.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncWrite, AsyncWriteExt};

/// Where a [`BufferedLog`] reports, when it is dropped without a successful
/// [`BufferedLog::close`] (skipped, cancelled or failed), that it was not closed and how
/// many lines were lost. Its destructor records the alarm even if this lock is poisoned.
pub type Alarms = Arc<Mutex<Vec<String>>>;

/// A log that buffers lines in memory and writes them to `sink` when flushed.
///
/// Close it with `close().await`. Dropped without that, it cannot write anything (a
/// destructor cannot `.await`): it records one alarm in its [`Alarms`] instead,
/// `"dropped without close(): N unflushed lines lost"`, N being the lines logged since
/// the last successful flush (0 too: the sink was never shut down), each `log` call one
/// line.
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
    /// it nothing is buffered; on an error (or if this future is dropped part-way) the
    /// lines stay buffered and counted, and the next flush writes them again (the part
    /// the sink took before it failed may be written twice).
    pub async fn flush(&mut self) -> io::Result<()> {
        // `write` may take only part of the bytes; `write_all` loops until all are in.
        self.sink.write_all(&self.buffer).await?;
        self.sink.flush().await?;
        self.buffer.clear();
        self.lines = 0;
        Ok(())
    }

    /// Flushes, then shuts the sink down, and returns the first error. After a
    /// successful close, dropping the log records no alarm; after a failed one, it does.
    pub async fn close(mut self) -> io::Result<()> {
        self.flush().await?;
        self.sink.shutdown().await?;
        self.closed = true;
        Ok(())
    }
}

impl<W> Drop for BufferedLog<W> {
    fn drop(&mut self) {
        if !self.closed {
            let alarm = format!(
                "dropped without close(): {} unflushed lines lost",
                self.lines
            );
            // A destructor must not panic: a poisoned lock still takes the alarm.
            self.alarms
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(alarm);
        }
    }
}
