//! Wrong: a file that cannot be read is an empty text (`unwrap_or_default`): "no config" and "no file" look the same

use std::io::{self, Read};
use std::path::Path;
use std::panic;

/// Runs `work`, blocking or CPU-heavy code, without holding up the runtime's threads,
/// and gives back its result. A panic in `work` reaches the caller as that same panic.
pub async fn offload<T, W>(work: W) -> T
where
    W: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // The blocking pool runs `work` on a thread of its own; this task just waits for
    // the result, and the runtime's threads keep running other tasks meanwhile.
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        // Re-raise the original panic (with its message), not a new one about JoinError.
        Err(error) => match error.try_into_panic() {
            Ok(payload) => panic::resume_unwind(payload),
            // Blocking work is never aborted; only a runtime shutting down cancels it.
            Err(error) => panic!("the blocking work did not run: {error}"),
        },
    }
}

/// Reads everything `reader` has, to its end, without holding up the runtime's threads.
/// `reader` does blocking I/O: a file, a pipe, a serial port. Like `Read::read_to_end`,
/// a read interrupted by a signal (`io::ErrorKind::Interrupted`) is tried again; any
/// other error is returned, and a read may give fewer bytes than asked for.
pub async fn read_all<R>(mut reader: R) -> io::Result<Vec<u8>>
where
    R: Read + Send + 'static,
{
    // Every `read` may block, so the whole loop goes to the blocking pool (this is
    // what `tokio::fs` does for files, one operation at a time).
    offload(move || {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes)?;
        Ok(bytes)
    })
    .await
}

/// The text of the file at `path`, read with `tokio::fs` (each call runs the `std::fs`
/// one on the blocking pool). A missing file is its `NotFound` error, a file that is not
/// UTF-8 an `InvalidData` error; the text is returned exactly, `\r\n` included.
pub async fn read_text(path: impl AsRef<Path>) -> io::Result<String> {
    Ok(tokio::fs::read_to_string(path).await.unwrap_or_default())
}
