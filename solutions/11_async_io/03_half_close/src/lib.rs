//! Half-close: the end of a request is a shutdown of the write half, and the reply is
//! read to its end.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The server: sends back every byte it reads, as it arrives, until the peer shuts down
/// its write half (the read sees EOF); then shuts down its own write half, so the peer's
/// read sees EOF too. Returns how many bytes it echoed.
///
/// It keeps a bounded buffer (a few KiB: one read's worth, or `tokio::io::copy`'s own),
/// so when the peer stops reading the echo, the echo soon stops reading too. Any I/O
/// error is the result.
pub async fn echo<S>(mut stream: S) -> io::Result<u64>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut buf = vec![0u8; 1024];
    let mut echoed = 0;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        stream.write_all(&buf[..n]).await?;
        echoed += n as u64;
    }
    stream.shutdown().await?;
    Ok(echoed)
}

/// The client: sends `request`, signals its end by shutting down the write half, and
/// reads the reply until the server's EOF. Sends and reads at the same time, so a server
/// that answers while the request is still coming (like [`echo`]) never waits on a
/// client that is not reading. Any I/O error of either direction is returned.
pub async fn exchange<S>(stream: S, request: &[u8]) -> io::Result<Vec<u8>>
where
    S: AsyncRead + AsyncWrite,
{
    // Two halves, so that the sending and the reading can each borrow their own.
    let (mut reader, mut writer) = tokio::io::split(stream);
    let send = async {
        writer.write_all(request).await?;
        // Dropping a `WriteHalf` would not do: the stream lives on in the `ReadHalf`.
        writer.shutdown().await
    };
    let receive = async {
        let mut reply = Vec::new();
        reader.read_to_end(&mut reply).await?;
        Ok(reply)
    };
    let ((), reply) = tokio::try_join!(send, receive)?;
    Ok(reply)
}
