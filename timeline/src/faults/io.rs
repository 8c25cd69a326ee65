//! Collaborators that fail or fall short on cue: I/O, fallible calls, queues, locks and
//! shutdown signals, for the promises a kata makes about the bad day.
//!
//! Every fault is keyed by a *call number* (1 for the first call, 2 for the second, ...),
//! never by time or by chance, so a test that uses them is as deterministic as the code
//! it checks:
//!
//! - [`Calls`]: a fallible operation (a fetch, a database call, a retry's attempt) that
//!   fails at the calls you name, and counts every call.
//! - [`Reader`]: bytes behind `std::io::Read` *and* `tokio::io::AsyncRead`, which can
//!   return short (at most n bytes per read), fail at the Nth read with an error kind
//!   you choose (`Interrupted` is the one `read_to_end` retries), or fail for good.
//! - [`Writer`]: a sink behind `std::io::Write` *and* `tokio::io::AsyncWrite` that
//!   keeps what it accepted, can accept less than offered (a short write), and fail at
//!   the Nth write, flush or shutdown.
//! - [`full_queue`]: a bounded `mpsc` channel already full; [`lock_held_for`]: a lock
//!   somebody else holds for a while of virtual time; [`shutdown_already_sent`]: a
//!   shutdown signal fired before the work starts.
//!
//! The readers and writers are ready at every poll (they never return `Pending`): what
//! they test is what the code does with a short or failed call, not timing. Put a
//! `tokio::io::duplex` in front where timing matters.

use std::collections::BTreeMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedMutexGuard, mpsc, watch};
use tokio::task::JoinHandle;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A fallible operation's script: which of its calls fail. Cheap to clone (the count is
/// shared), so a test keeps one clone to read [`Calls::count`] while the code under test
/// calls another.
///
/// ```ignore
/// let calls = Calls::failing_at([1, 2]); // the first two calls fail, the third succeeds
/// let fetch = || { let calls = calls.clone(); async move { calls.call().map_err(|n| format!("call {n} failed")) } };
/// ```
#[derive(Clone)]
pub struct Calls {
    count: Arc<AtomicUsize>,
    fails: Arc<dyn Fn(usize) -> bool + Send + Sync>,
}

impl std::fmt::Debug for Calls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calls")
            .field("count", &self.count())
            .finish_non_exhaustive()
    }
}

impl Calls {
    /// Every call succeeds.
    pub fn never_failing() -> Calls {
        Calls::failing_when(|_| false)
    }

    /// The calls numbered in `calls` (1 is the first call) fail; the others succeed.
    pub fn failing_at(calls: impl IntoIterator<Item = usize>) -> Calls {
        let calls: Vec<usize> = calls.into_iter().collect();
        Calls::failing_when(move |n| calls.contains(&n))
    }

    /// Call `n` and every one after it fail (`failing_from(1)`: a collaborator that is
    /// down for good).
    pub fn failing_from(n: usize) -> Calls {
        Calls::failing_when(move |call| call >= n)
    }

    /// The calls for which `fails(call number)` is true fail.
    pub fn failing_when(fails: impl Fn(usize) -> bool + Send + Sync + 'static) -> Calls {
        Calls {
            count: Arc::new(AtomicUsize::new(0)),
            fails: Arc::new(fails),
        }
    }

    /// One call: `Ok(its number)`, or `Err(its number)` if the script says it fails.
    pub fn call(&self) -> Result<usize, usize> {
        let n = self.count.fetch_add(1, Ordering::SeqCst) + 1;
        if (self.fails)(n) { Err(n) } else { Ok(n) }
    }

    /// How many calls so far, failed ones included.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

/// What a read or a write does at a given call instead of its normal work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Fails with an error of this kind (the call moves nothing).
    Error(io::ErrorKind),
    /// Moves at most this many bytes (a short read or write; `Short(0)` on a read is an
    /// early end of file, on a write a `WriteZero` for `write_all`).
    Short(usize),
}

/// Bytes behind `std::io::Read` and `tokio::io::AsyncRead`, with faults at the reads you
/// name. Its count of reads is shared with [`Reader::reads`], so a test can read it after
/// handing the reader over.
#[derive(Debug)]
pub struct Reader {
    data: Vec<u8>,
    pos: usize,
    chunk: usize,
    faults: BTreeMap<usize, Fault>,
    fail_from: Option<(usize, io::ErrorKind)>,
    reads: Arc<AtomicUsize>,
}

impl Reader {
    /// A reader of `data` that gives as much as the caller's buffer holds, and then
    /// end of file.
    pub fn new(data: impl Into<Vec<u8>>) -> Reader {
        Reader {
            data: data.into(),
            pos: 0,
            chunk: usize::MAX,
            faults: BTreeMap::new(),
            fail_from: None,
            reads: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Every read gives at most `n` bytes (at least 1): data that arrives in pieces.
    pub fn chunks(mut self, n: usize) -> Reader {
        self.chunk = n.max(1);
        self
    }

    /// Read number `call` (1 is the first) does `fault` instead.
    pub fn fault_at(mut self, call: usize, fault: Fault) -> Reader {
        self.faults.insert(call, fault);
        self
    }

    /// Read number `call` fails with `ErrorKind::Interrupted`, the error a blocking read
    /// returns when a signal arrives: `read_to_end` and `read_exact` retry it.
    pub fn interrupted_at(self, call: usize) -> Reader {
        self.fault_at(call, Fault::Error(io::ErrorKind::Interrupted))
    }

    /// Read number `call` and every one after it fail with `kind`: the device is gone.
    pub fn failing_from(mut self, call: usize, kind: io::ErrorKind) -> Reader {
        self.fail_from = Some((call, kind));
        self
    }

    /// A handle on the number of reads so far, failed ones included.
    pub fn reads(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.reads)
    }

    /// One read into `room` bytes of space: how many bytes to take from the data, or
    /// the error of this call.
    fn next_read(&mut self, room: usize) -> io::Result<&[u8]> {
        let call = self.reads.fetch_add(1, Ordering::SeqCst) + 1;
        let mut n = room.min(self.chunk);
        match (self.faults.get(&call), self.fail_from) {
            (_, Some((from, kind))) if call >= from => return Err(error(kind, "read", call)),
            (Some(Fault::Error(kind)), _) => return Err(error(*kind, "read", call)),
            (Some(Fault::Short(max)), _) => n = n.min(*max),
            (None, _) => {}
        }
        let n = n.min(self.data.len() - self.pos);
        let bytes = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }
}

fn error(kind: io::ErrorKind, what: &str, call: usize) -> io::Error {
    io::Error::new(kind, format!("injected fault: {what} number {call} failed"))
}

impl io::Read for Reader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let bytes = self.next_read(buf.len())?;
        buf[..bytes.len()].copy_from_slice(bytes);
        Ok(bytes.len())
    }
}

impl AsyncRead for Reader {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let bytes = this.next_read(buf.remaining())?;
        buf.put_slice(bytes);
        Poll::Ready(Ok(()))
    }
}

/// A sink behind `std::io::Write` and `tokio::io::AsyncWrite` that keeps every byte it
/// accepted ([`Writer::written`]), with faults at the writes, flushes and shutdowns you
/// name.
#[derive(Debug, Default)]
pub struct Writer {
    written: Arc<Mutex<Vec<u8>>>,
    chunk: Option<usize>,
    faults: BTreeMap<usize, Fault>,
    flush_fails_at: Option<usize>,
    shutdown_fails: bool,
    writes: Arc<AtomicUsize>,
    flushes: usize,
}

impl Writer {
    /// A writer that accepts everything.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// Every write accepts at most `n` bytes (at least 1): short writes, which
    /// `write_all` loops over and a single `write` does not.
    pub fn chunks(mut self, n: usize) -> Writer {
        self.chunk = Some(n.max(1));
        self
    }

    /// Write number `call` (1 is the first) does `fault` instead.
    pub fn fault_at(mut self, call: usize, fault: Fault) -> Writer {
        self.faults.insert(call, fault);
        self
    }

    /// Flush number `call` fails (`BrokenPipe`).
    pub fn flush_fails_at(mut self, call: usize) -> Writer {
        self.flush_fails_at = Some(call);
        self
    }

    /// `poll_shutdown` fails (`BrokenPipe`).
    pub fn shutdown_fails(mut self) -> Writer {
        self.shutdown_fails = true;
        self
    }

    /// A handle on the bytes accepted so far.
    pub fn written(&self) -> Arc<Mutex<Vec<u8>>> {
        Arc::clone(&self.written)
    }

    /// A handle on the number of writes so far, failed ones included.
    pub fn writes(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.writes)
    }

    fn write_some(&mut self, buf: &[u8]) -> io::Result<usize> {
        let call = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        let mut n = buf.len().min(self.chunk.unwrap_or(usize::MAX));
        match self.faults.get(&call) {
            Some(Fault::Error(kind)) => return Err(error(*kind, "write", call)),
            Some(Fault::Short(max)) => n = n.min(*max),
            None => {}
        }
        lock(&self.written).extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush_once(&mut self) -> io::Result<()> {
        self.flushes += 1;
        if self.flush_fails_at == Some(self.flushes) {
            return Err(error(io::ErrorKind::BrokenPipe, "flush", self.flushes));
        }
        Ok(())
    }
}

impl io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_some(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_once()
    }
}

impl AsyncWrite for Writer {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(self.get_mut().write_some(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().flush_once())
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.shutdown_fails {
            return Poll::Ready(Err(error(io::ErrorKind::BrokenPipe, "shutdown", 1)));
        }
        Poll::Ready(Ok(()))
    }
}

/// A bounded channel of `capacity` (at least 1) already full of `filler`: the next
/// `send` waits and the next `try_send` fails with `Full` until the receiver takes one.
pub fn full_queue<T: Clone>(capacity: usize, filler: T) -> (mpsc::Sender<T>, mpsc::Receiver<T>) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    while tx.try_send(filler.clone()).is_ok() {}
    (tx, rx)
}

/// Somebody else holds `lock`: it is taken *now* (so the code under test, started after
/// this call, finds it held) and released after `hold` of (virtual) time, by a spawned
/// task. Panics if the lock is already held.
pub fn lock_held_for<T: Send + 'static>(
    lock: Arc<tokio::sync::Mutex<T>>,
    hold: Duration,
) -> JoinHandle<()> {
    let guard: OwnedMutexGuard<T> = lock
        .try_lock_owned()
        .expect("lock_held_for: the lock is already held");
    tokio::spawn(async move {
        tokio::time::sleep(hold).await;
        drop(guard);
    })
}

/// A shutdown signal (`watch` of `bool`, `true` meaning "shut down") already sent
/// before the work starts: the receiver has seen nothing yet, and its value is `true`.
/// Keep the sender alive as long as the signal should stay open.
pub fn shutdown_already_sent() -> (watch::Sender<bool>, watch::Receiver<bool>) {
    let (tx, rx) = watch::channel(false);
    tx.send_replace(true);
    (tx, rx)
}

#[cfg(test)]
mod blocking_tests {
    use std::io::{Read as _, Write as _};

    use super::*;

    #[test]
    fn calls_fail_where_the_script_says() {
        let calls = Calls::failing_at([2, 3]);
        let other = calls.clone();
        let seen: Vec<_> = (0..4).map(|_| other.call()).collect();
        assert_eq!(seen, [Ok(1), Err(2), Err(3), Ok(4)]);
        assert_eq!(calls.count(), 4, "the count is shared by the clones");
        let down = Calls::failing_from(2);
        assert_eq!(
            [down.call(), down.call(), down.call()],
            [Ok(1), Err(2), Err(3)]
        );
        assert_eq!(Calls::never_failing().call(), Ok(1));
    }

    #[test]
    fn a_reader_in_chunks_with_an_interruption_still_reads_everything() {
        let mut reader = Reader::new(&b"hello world"[..]).chunks(4).interrupted_at(2);
        let reads = reader.reads();
        let mut all = Vec::new();
        reader
            .read_to_end(&mut all)
            .expect("Interrupted is retried by read_to_end");
        assert_eq!(all, b"hello world");
        // 4 + interrupted + 4 + 3 + end of file
        assert_eq!(reads.load(Ordering::SeqCst), 5);
    }

    #[test]
    fn a_reader_fails_at_the_nth_read_and_after() {
        let mut reader = Reader::new(vec![7; 10])
            .chunks(3)
            .fault_at(2, Fault::Short(1))
            .failing_from(4, io::ErrorKind::ConnectionReset);
        let mut buf = [0; 8];
        assert_eq!(reader.read(&mut buf).unwrap(), 3);
        assert_eq!(reader.read(&mut buf).unwrap(), 1, "a short read");
        assert_eq!(reader.read(&mut buf).unwrap(), 3);
        let err = reader.read(&mut buf).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
        assert!(err.to_string().contains("read number 4"), "{err}");
        assert_eq!(
            reader.read(&mut buf).unwrap_err().kind(),
            io::ErrorKind::ConnectionReset
        );
    }

    #[test]
    fn a_writer_keeps_what_it_accepted_and_fails_on_cue() {
        let mut writer = Writer::new()
            .chunks(3)
            .fault_at(3, Fault::Error(io::ErrorKind::BrokenPipe));
        let written = writer.written();
        assert_eq!(writer.write(b"hello").unwrap(), 3, "a short write");
        assert_eq!(writer.write(b"lo").unwrap(), 2);
        assert_eq!(
            writer.write(b"!").unwrap_err().kind(),
            io::ErrorKind::BrokenPipe
        );
        assert_eq!(*written.lock().unwrap(), b"hello");
        assert_eq!(writer.writes().load(Ordering::SeqCst), 3);

        let mut writer = Writer::new().fault_at(1, Fault::Short(0));
        assert_eq!(
            writer.write_all(b"x").unwrap_err().kind(),
            io::ErrorKind::WriteZero,
            "a write that accepts nothing makes write_all fail"
        );
    }
}

#[cfg(test)]
mod async_tests {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    #[tokio::test]
    async fn an_async_reader_gives_the_same_script() {
        let mut reader = Reader::new(&b"abc\ndef"[..])
            .chunks(2)
            .fault_at(3, Fault::Error(io::ErrorKind::InvalidData));
        let mut buf = [0; 16];
        assert_eq!(reader.read(&mut buf).await.unwrap(), 2);
        assert_eq!(reader.read(&mut buf).await.unwrap(), 2);
        let err = reader.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, b"def", "a failed read moves nothing");
    }

    #[tokio::test]
    async fn an_async_writer_fails_its_flush_and_shutdown_on_cue() {
        let mut writer = Writer::new().chunks(2).flush_fails_at(2).shutdown_fails();
        let written = writer.written();
        writer.write_all(b"abcde").await.unwrap();
        assert_eq!(
            writer.writes().load(Ordering::SeqCst),
            3,
            "write_all loops over short writes"
        );
        writer.flush().await.unwrap();
        assert_eq!(
            writer.flush().await.unwrap_err().kind(),
            io::ErrorKind::BrokenPipe
        );
        assert!(writer.shutdown().await.is_err());
        assert_eq!(*written.lock().unwrap(), b"abcde");
    }

    #[tokio::test]
    async fn a_full_queue_refuses_the_next_message() {
        let (tx, mut rx) = full_queue(2, 0u8);
        assert!(matches!(
            tx.try_send(1),
            Err(mpsc::error::TrySendError::Full(1))
        ));
        assert_eq!(rx.recv().await, Some(0));
        tx.try_send(1).expect("one taken, one slot free");
        let (tx, _rx) = full_queue(0, 'x');
        assert_eq!(tx.max_capacity(), 1, "a capacity of 0 is taken as 1");
    }

    #[tokio::test(start_paused = true)]
    async fn a_held_lock_is_free_after_its_hold() {
        let lock = Arc::new(tokio::sync::Mutex::new(5));
        let start = tokio::time::Instant::now();
        let holder = lock_held_for(Arc::clone(&lock), Duration::from_millis(300));
        assert!(lock.try_lock().is_err(), "held at once, before any await");
        let value = *lock.lock().await;
        assert_eq!(value, 5);
        assert_eq!(start.elapsed(), Duration::from_millis(300));
        holder.await.unwrap();
    }

    #[tokio::test]
    async fn a_shutdown_sent_before_the_start_is_seen_at_once() {
        let (_tx, mut rx) = shutdown_already_sent();
        assert!(*rx.borrow(), "the value is already `true`");
        rx.wait_for(|down| *down)
            .await
            .expect("seen without waiting");
    }
}
