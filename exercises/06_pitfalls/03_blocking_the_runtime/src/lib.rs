//! Blocking the runtime: read README.md beside this folder, then make the tests pass.

use std::io::{self, Read};
use std::path::Path;

/// Runs `work`, blocking code (a blocking call, synchronous I/O), without holding up the
/// runtime's threads, and gives back its result. A panic in `work` reaches the caller as
/// that same panic. (Many CPU-heavy jobs at once want a bound in front of this: README.)
pub async fn offload<T, W>(work: W) -> T
where
    W: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = work;
    todo!("run work where it cannot stop other tasks from running")
}

/// Reads everything `reader` has, to its end, without holding up the runtime's threads.
/// `reader` does blocking I/O: a file, a pipe, a serial port. Like `Read::read_to_end`,
/// a read interrupted by a signal (`io::ErrorKind::Interrupted`) is tried again; any
/// other error is returned, and a read may give fewer bytes than asked for.
pub async fn read_all<R>(reader: R) -> io::Result<Vec<u8>>
where
    R: Read + Send + 'static,
{
    let _ = reader;
    todo!("read to the end of the reader, off the runtime's threads")
}

/// The text of the file at `path`, read with `tokio::fs` (each call runs the `std::fs`
/// one on the blocking pool). A missing file is its `NotFound` error, a file that is not
/// UTF-8 an `InvalidData` error; the text is returned exactly, `\r\n` included.
pub async fn read_text(path: impl AsRef<Path>) -> io::Result<String> {
    let _ = path.as_ref();
    todo!("read the file's text without blocking the runtime's thread")
}
