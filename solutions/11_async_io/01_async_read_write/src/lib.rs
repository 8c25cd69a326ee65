//! `AsyncRead` and `AsyncWrite` by hand: a wrapper that counts the bytes going through.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

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

// `T: Unpin` makes `Metered<T>` `Unpin` too, so `get_mut` and `Pin::new` are safe and
// no pin projection is needed (module 10 projects the pin for `!Unpin` fields).
impl<T: AsyncRead + Unpin> AsyncRead for Metered<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        // The caller's buffer may hold bytes already: count only what this read adds.
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        this.read += (buf.filled().len() - before) as u64;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Metered<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // One call to the inner writer, whatever it accepts: the caller (`write_all`)
        // comes back with the rest.
        let n = ready!(Pin::new(&mut this.inner).poll_write(cx, buf))?;
        this.written += n as u64;
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
