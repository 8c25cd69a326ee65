//! Wrong: once open() has woken both waiters they are done; polling them again only repeats what is_woken() already proved (a waiter woken yet still pending passes)

use std::io;
use std::time::Duration;

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
    let gate = make();
    let mut first = task::spawn(gate.wait());
    let mut second = task::spawn(gate.wait());
    // Made now, polled for the first time only once the gate is open.
    let mut late = task::spawn(gate.wait());

    assert_pending!(first.poll(), "a wait() on a closed gate must stay pending");
    assert_pending!(second.poll(), "a wait() on a closed gate must stay pending");
    assert_pending!(first.poll(), "a wait() on a closed gate must stay pending when polled again");
    assert_pending!(second.poll(), "a wait() on a closed gate must stay pending when polled again");
    if first.is_woken() || second.is_woken() {
        return Err("a wait() on a closed gate was woken, though nothing but open() may wake it".into());
    }

    // A third waiter, cancelled while it waits.
    let mut cancelled = task::spawn(gate.wait());
    assert_pending!(cancelled.poll(), "a wait() on a closed gate must stay pending");
    drop(cancelled);
    if first.is_woken() || second.is_woken() {
        return Err("cancelling one wait() woke the others".into());
    }

    gate.open();
    if !first.is_woken() {
        return Err("open() did not wake the first waiter".into());
    }
    if !second.is_woken() {
        return Err("open() did not wake the second waiter".into());
    }
    assert_ready!(
        late.poll(),
        "a wait() made before open() must be ready at its first poll after it"
    );

    gate.open(); // a second call changes nothing
    let mut after = task::spawn(gate.wait());
    assert_ready!(after.poll(), "a wait() on an open gate must be ready at its first poll");

    // A gate nobody opens: its waiter stays pending, and is not woken.
    let closed = make();
    let mut waiter = task::spawn(closed.wait());
    for _ in 0..3 {
        assert_pending!(waiter.poll(), "a wait() on a closed gate must stay pending");
    }
    if waiter.is_woken() {
        return Err("a wait() on a gate nobody opened was woken".into());
    }
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

/// Bounds one step: a connection the mock is still waiting on gives an error, not a hang.
async fn bounded<T>(what: &str, step: impl Future<Output = T>) -> Result<T, String> {
    tokio::time::timeout(Duration::from_secs(1), step)
        .await
        .map_err(|_| format!("{what} never finished"))
}

async fn expect_line<C: LineConn>(
    conn: &mut C,
    want: Option<&str>,
    scenario: &str,
) -> Result<(), String> {
    match bounded("recv()", conn.recv()).await? {
        Ok(got) if got.as_deref() == want => Ok(()),
        Ok(got) => Err(format!("{scenario}: recv() gave {got:?}, not {want:?}")),
        Err(err) => Err(format!("{scenario}: recv() failed ({err}), not {want:?}")),
    }
}

async fn expect_recv_error<C: LineConn>(
    conn: &mut C,
    kind: io::ErrorKind,
    scenario: &str,
) -> Result<(), String> {
    match bounded("recv()", conn.recv()).await? {
        Err(err) if err.kind() == kind => Ok(()),
        Err(err) => Err(format!("{scenario}: recv() failed with {:?}, not {kind:?}", err.kind())),
        Ok(got) => Err(format!("{scenario}: recv() gave {got:?}, not an error of kind {kind:?}")),
    }
}

async fn expect_sent<C: LineConn>(conn: &mut C, line: &str, scenario: &str) -> Result<(), String> {
    bounded("send()", conn.send(line))
        .await?
        .map_err(|err| format!("{scenario}: send({line:?}) failed: {err}"))
}

/// Holds the connections `make` makes, each over a `tokio_test::io::Mock`, to the spec of
/// [`LineConn`]: `Ok(())` if they keep it, an `Err` (or a panic: a mock panics on a
/// write whose bytes differ from its script) saying what broke. Run as the body of a
/// `#[tokio::test(start_paused = true)]` test.
pub async fn check_line_conn<C: LineConn>(make: impl Fn(Mock) -> C) -> Result<(), String> {
    // A request, and its answer split over two reads; then the clean end.
    let mut conn = make(Builder::new().write(b"GET a\n").read(b"val").read(b"ue a\n").build());
    expect_sent(&mut conn, "GET a", "a request").await?;
    expect_line(&mut conn, Some("value a"), "a line split over two reads").await?;
    expect_line(&mut conn, None, "the end of the stream after the last line").await?;
    drop(conn);

    // Two lines in one read.
    let mut conn = make(Builder::new().read(b"one\ntwo\n").build());
    expect_line(&mut conn, Some("one"), "two lines in one read").await?;
    expect_line(&mut conn, Some("two"), "two lines in one read").await?;
    expect_line(&mut conn, None, "the end after two lines in one read").await?;
    drop(conn);

    // An empty line.
    let mut conn = make(Builder::new().read(b"\nlast\n").build());
    expect_line(&mut conn, Some(""), "an empty line").await?;
    expect_line(&mut conn, Some("last"), "the line after an empty one").await?;
    expect_line(&mut conn, None, "the end after the last line").await?;
    drop(conn);

    // The stream ends inside a line.
    let mut conn = make(Builder::new().read(b"par").build());
    expect_recv_error(&mut conn, io::ErrorKind::UnexpectedEof, "a stream that ends inside a line").await?;
    drop(conn);

    // A read that fails, after a good line.
    let err = io::Error::new(io::ErrorKind::ConnectionReset, "reset by the peer");
    let mut conn = make(Builder::new().read(b"one\n").read_error(err).build());
    expect_line(&mut conn, Some("one"), "the line before a failed read").await?;
    expect_recv_error(&mut conn, io::ErrorKind::ConnectionReset, "a read that fails").await?;
    drop(conn);

    // A short write: the line is taken in two parts.
    let mut conn = make(
        Builder::new()
            .write(b"GET ")
            .wait(Duration::from_millis(10))
            .write(b"b\n")
            .build(),
    );
    expect_sent(&mut conn, "GET b", "a short write").await?;
    drop(conn);

    // A write that fails.
    let err = io::Error::new(io::ErrorKind::BrokenPipe, "the peer is gone");
    let mut conn = make(Builder::new().write_error(err).build());
    match bounded("send()", conn.send("GET c")).await? {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {}
        Err(err) => return Err(format!("a failed write: send() failed with {:?}, not BrokenPipe", err.kind())),
        Ok(()) => return Err("a failed write: send() said Ok".into()),
    }
    drop(conn);

    Ok(())
}
