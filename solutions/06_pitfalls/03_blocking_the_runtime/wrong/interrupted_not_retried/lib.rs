//! Wrong: read_all offloads my own read loop, which stops at 0 bytes and returns any error with ?.
//! Blocking the runtime: read README.md beside this folder, then make the tests pass.

use std::io::{self, Read};

/// Runs `work` off the runtime's threads and gives back its result.
pub async fn offload<T, W>(work: W) -> T
where
    W: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// Reads everything `reader` has, to its end, without holding up the runtime's threads.
pub async fn read_all<R>(reader: R) -> io::Result<Vec<u8>>
where
    R: Read + Send + 'static,
{
    let mut reader = reader;
    offload(move || {
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = reader.read(&mut chunk)?;
            if n == 0 {
                return Ok(bytes);
            }
            bytes.extend_from_slice(&chunk[..n]);
        }
    })
    .await
}

/// The text of the file at `path`, read with `tokio::fs` (each call runs the `std::fs`
/// one on the blocking pool). A missing file is its `NotFound` error, a file that is not
/// UTF-8 an `InvalidData` error; the text is returned exactly, `\r\n` included.
pub async fn read_text(path: impl AsRef<std::path::Path>) -> std::io::Result<String> {
    tokio::fs::read_to_string(path).await
}
