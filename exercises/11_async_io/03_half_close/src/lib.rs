//! Half-close: the end of a request is a shutdown of the write half, and the reply is
//! read to its end.

use std::io;

use tokio::io::{AsyncRead, AsyncWrite};

/// The server: sends back every byte it reads, as it arrives, until the peer shuts down
/// its write half (the read sees EOF); then shuts down its own write half, so the peer's
/// read sees EOF too. Returns how many bytes it echoed.
///
/// It keeps a bounded buffer (a few KiB: one read's worth, or `tokio::io::copy`'s own),
/// so when the peer stops reading the echo, the echo soon stops reading too. Any I/O
/// error is the result.
pub async fn echo<S>(stream: S) -> io::Result<u64>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let _ = stream;
    todo!("read and write back until EOF, then shut down the write half")
}

/// The client: sends `request`, signals its end by shutting down the write half, and
/// reads the reply until the server's EOF. Sends and reads at the same time, so a server
/// that answers while the request is still coming (like [`echo`]) never waits on a
/// client that is not reading. Any I/O error of either direction is returned.
pub async fn exchange<S>(stream: S, request: &[u8]) -> io::Result<Vec<u8>>
where
    S: AsyncRead + AsyncWrite,
{
    let _ = (stream, request);
    todo!("send the request and shut down, while reading the reply to EOF")
}
