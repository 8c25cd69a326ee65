//! Blocking the runtime: read README.md beside this folder, then make the tests pass.

use std::io::{self, Read};

/// Runs `work`, blocking or CPU-heavy code, without holding up the runtime's threads,
/// and gives back its result. A panic in `work` reaches the caller as that same panic.
pub async fn offload<T, W>(work: W) -> T
where
    W: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = work;
    todo!("run work where it cannot stop other tasks from running")
}

/// Reads everything `reader` has, to its end, without holding up the runtime's threads.
/// `reader` does blocking I/O: a file, a pipe, a serial port.
pub async fn read_all<R>(reader: R) -> io::Result<Vec<u8>>
where
    R: Read + Send + 'static,
{
    let _ = reader;
    todo!("read to the end of the reader, off the runtime's threads")
}
