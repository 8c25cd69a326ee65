//! Wrong: `read_all` calls `read` once, which returns what is there so far, not everything to the end

use std::io::{self, Read};
use std::panic;

/// Runs `work`, blocking or CPU-heavy code, without holding up the runtime's threads,
/// and gives back its result. A panic in `work` reaches the caller as that same panic.
pub async fn offload<T, W>(work: W) -> T
where
    W: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(error) => panic::resume_unwind(error.into_panic()),
    }
}

/// Reads everything `reader` has, to its end, without holding up the runtime's threads.
/// `reader` does blocking I/O: a file, a pipe, a serial port.
pub async fn read_all<R>(mut reader: R) -> io::Result<Vec<u8>>
where
    R: Read + Send + 'static,
{
    offload(move || {
        let mut bytes = vec![0; 64 * 1024];
        let n = reader.read(&mut bytes)?;
        bytes.truncate(n);
        Ok(bytes)
    })
    .await
}

/// The text of the file at `path`, read with `tokio::fs` (each call runs the `std::fs`
/// one on the blocking pool). A missing file is its `NotFound` error, a file that is not
/// UTF-8 an `InvalidData` error; the text is returned exactly, `\r\n` included.
pub async fn read_text(path: impl AsRef<std::path::Path>) -> std::io::Result<String> {
    tokio::fs::read_to_string(path).await
}
