//! `AsyncRead` and `AsyncWrite` by hand: a wrapper that counts the bytes going through.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Wraps a reader, a writer or both, and counts the bytes that really went through it.
///
/// - `bytes_read` grows by what each successful `poll_read` *added* to the caller's
///   `ReadBuf`: not its capacity, not what it held before the call.
/// - `bytes_written` grows by the count each successful `poll_write` returns, which may
///   be less than the buffer it was given (a partial write): what the inner writer
///   accepted, even if it still holds it in a buffer of its own.
/// - `Pending` and errors are passed on as they are (the same error, whatever its kind)
///   and count nothing; flush and shutdown go to the inner value, and so do their
///   errors.
#[derive(Debug)]
pub struct Metered<T> {
    inner: T,
    read: u64,
    written: u64,
}

impl<T> Metered<T> {
    /// Wraps `inner`, with both counts at zero.
    pub fn new(inner: T) -> Self {
        Metered {
            inner,
            read: 0,
            written: 0,
        }
    }

    /// Bytes read through this wrapper so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// Bytes written through this wrapper so far (accepted by the inner writer).
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    /// The wrapped value.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    /// Unwraps, giving the inner value back.
    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Metered<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let _ = (self, cx, buf);
        todo!("poll the inner reader, count what it added to buf's filled part")
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Metered<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let _ = (self, cx, buf);
        todo!("poll the inner writer once, count the bytes it accepted")
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let _ = (self, cx);
        todo!("flush the inner writer")
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let _ = (self, cx);
        todo!("shut the inner writer down")
    }
}
