//! Wrong: a first poll that returns Pending proves the closed gate holds its waiters; polling again before open() would just give the same answer
//! Testing by hand: poll a future yourself, and script the bytes a connection sees.

use std::io;
use std::time::Duration;

use tokio::time::timeout;
use tokio_test::io::{Builder, Mock};
use tokio_test::{assert_pending, assert_ready, task};

/// A one-way gate: closed when made, open for good once `open` is called.
pub trait Gate {
    /// A future that completes once the gate is open: at its first poll if it already
    /// is, whenever the future was made. While the gate is closed it stays pending, however
    /// often it is polled, and nothing but `open` wakes it; `open` wakes it, however many
    /// `wait` futures are pending at the time. A `wait` future dropped while pending (its
    /// task cancelled) leaves the others waiting as before.
    fn wait(&self) -> impl Future<Output = ()> + '_;

    /// Opens the gate and wakes every `wait` future pending on it. Calling it again changes
    /// nothing.
    fn open(&self);
}

/// Holds the gates `make` makes to the spec of [`Gate`]: `Ok(())` if they keep it, an
/// `Err` (or a panic, such as a failed `assert_pending!`) saying what broke. A plain
/// function, with no runtime: it polls the futures by hand, with
/// `tokio_test::task::spawn`.
pub fn check_gate<G: Gate>(make: impl Fn() -> G) -> Result<(), String> {
    // Two waiters on a closed gate: pending.
    let gate = make();
    let mut first = task::spawn(gate.wait());
    let mut second = task::spawn(gate.wait());
    assert_pending!(first.poll(), "a wait() on a closed gate must stay pending");
    assert_pending!(second.poll(), "a wait() on a closed gate must stay pending");

    // open() wakes every one of them, and each is ready when polled again.
    gate.open();
    if !first.is_woken() {
        return Err("open() did not wake the first waiter".to_string());
    }
    if !second.is_woken() {
        return Err("open() did not wake the second waiter".to_string());
    }
    assert_ready!(first.poll(), "the first waiter was woken but not ready");
    assert_ready!(second.poll(), "the second waiter was woken but not ready");

    // A wait() made after open() is ready at its first poll.
    let mut late = task::spawn(gate.wait());
    assert_ready!(
        late.poll(),
        "a wait() on an open gate must be ready at once"
    );
    Ok(())
}

/// The client's end of a line protocol over a byte stream.
pub trait LineConn {
    /// Writes `line` followed by `\n`, all of it (the stream may take it in parts), and
    /// flushes it. An error from the stream is returned as it is.
    fn send(&mut self, line: &str) -> impl Future<Output = io::Result<()>>;

    /// Reads the next line, without its `\n`. A line may arrive split over many reads,
    /// and one read may bring several lines: none is lost. `Ok(None)` once the stream
    /// ends between two lines; an `io::ErrorKind::UnexpectedEof` error if it ends in the
    /// middle of one. An empty line is `Ok(Some(""))`, and an error from the stream is
    /// returned as it is. Whether a `\r` before the `\n` stays in the line, what bytes that
    /// are not UTF-8 give, and what comes after `Ok(None)` or an error are not part of the
    /// spec.
    fn recv(&mut self) -> impl Future<Output = io::Result<Option<String>>>;
}

const STEP: Duration = Duration::from_secs(1);

async fn send<C: LineConn>(conn: &mut C, line: &str) -> Result<(), String> {
    timeout(STEP, conn.send(line))
        .await
        .map_err(|_| format!("send({line:?}) never finished"))?
        .map_err(|e| format!("send({line:?}) failed: {e}"))
}

async fn recv<C: LineConn>(conn: &mut C) -> Result<io::Result<Option<String>>, String> {
    timeout(STEP, conn.recv())
        .await
        .map_err(|_| "recv() never finished".to_string())
}

async fn expect_line<C: LineConn>(conn: &mut C, want: &str) -> Result<(), String> {
    match recv(conn).await? {
        Ok(Some(line)) if line == want => Ok(()),
        other => Err(format!("recv() gave {other:?}, not the line {want:?}")),
    }
}

async fn expect_end<C: LineConn>(conn: &mut C) -> Result<(), String> {
    match recv(conn).await? {
        Ok(None) => Ok(()),
        other => Err(format!(
            "recv() gave {other:?} at the end of the stream, not Ok(None)"
        )),
    }
}

/// Holds the connections `make` makes, each over a `tokio_test::io::Mock`, to the spec of
/// [`LineConn`]: `Ok(())` if they keep it, an `Err` (or a panic: a mock panics on a
/// write whose bytes differ from its script) saying what broke. Run as the body of a
/// `#[tokio::test(start_paused = true)]` test.
pub async fn check_line_conn<C: LineConn>(make: impl Fn(Mock) -> C) -> Result<(), String> {
    // A request, and its answer split over two reads.
    let mut conn = make(
        Builder::new()
            .write(b"GET a\n")
            .read(b"val")
            .read(b"ue a\n")
            .build(),
    );
    send(&mut conn, "GET a").await?;
    expect_line(&mut conn, "value a").await?;
    expect_end(&mut conn).await?;
    drop(conn);

    // Two lines in one read: neither is lost.
    let mut conn = make(Builder::new().read(b"one\ntwo\n").build());
    expect_line(&mut conn, "one").await?;
    expect_line(&mut conn, "two").await?;
    expect_end(&mut conn).await?;
    drop(conn);

    // The stream ends inside a line.
    let mut conn = make(Builder::new().read(b"par").build());
    match recv(&mut conn).await? {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(()),
        other => Err(format!(
            "recv() gave {other:?} for a stream that ended inside a line, not an UnexpectedEof error"
        )),
    }
}
