//! Wrong: `offload` calls `work()` right in the async fn, on the runtime's thread

use std::io::{self, Read};

/// Runs `work`, blocking or CPU-heavy code, without holding up the runtime's threads,
/// and gives back its result. A panic in `work` reaches the caller as that same panic.
pub async fn offload<T, W>(work: W) -> T
where
    W: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // An async fn, so the caller can await it while it works.
    work()
}

/// Reads everything `reader` has, to its end, without holding up the runtime's threads.
/// `reader` does blocking I/O: a file, a pipe, a serial port.
pub async fn read_all<R>(mut reader: R) -> io::Result<Vec<u8>>
where
    R: Read + Send + 'static,
{
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
pub async fn read_text(path: impl AsRef<std::path::Path>) -> std::io::Result<String> {
    tokio::fs::read_to_string(path).await
}
