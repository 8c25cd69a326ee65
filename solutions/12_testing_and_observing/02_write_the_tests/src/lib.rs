//! Testing by hand: poll a future yourself, and script the bytes a connection sees.

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
    let mut cancelled = task::spawn(gate.wait());
    // Made before open(), polled for the first time after it.
    let mut unpolled = task::spawn(gate.wait());
    assert_pending!(first.poll(), "a wait() on a closed gate must stay pending");
    assert_pending!(
        second.poll(),
        "a second wait() on a closed gate must stay pending"
    );
    assert_pending!(
        cancelled.poll(),
        "a third wait() on a closed gate must stay pending"
    );
    // Polled again while the gate is closed: still pending, and nobody woken.
    assert_pending!(
        first.poll(),
        "a wait() polled again on a closed gate must stay pending"
    );
    assert_pending!(
        second.poll(),
        "a wait() polled again on a closed gate must stay pending"
    );
    if first.is_woken() || second.is_woken() {
        return Err(
            "a wait() was woken while the gate was closed: only open() may wake it".to_string(),
        );
    }
    // A waiter cancelled while the gate is closed: the others still wait for open().
    drop(cancelled);
    gate.open();
    if !first.is_woken() || !second.is_woken() {
        return Err(format!(
            "open() woke {} of the 2 pending waiters (a third was dropped before open()): a \
             task awaiting one that is not woken sleeps forever",
            usize::from(first.is_woken()) + usize::from(second.is_woken())
        ));
    }
    assert_ready!(
        first.poll(),
        "a woken waiter must be ready: the gate is open"
    );
    assert_ready!(
        second.poll(),
        "a woken waiter must be ready: the gate is open"
    );
    assert_ready!(
        unpolled.poll(),
        "a wait() made before open() and first polled after it must be ready at once"
    );
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

/// Holds the connections `make` makes, each over a `tokio_test::io::Mock`, to the spec of
/// [`LineConn`]: `Ok(())` if they keep it, an `Err` (or a panic: a mock panics on a
/// write whose bytes differ from its script) saying what broke. Run as the body of a
/// `#[tokio::test(start_paused = true)]` test.
pub async fn check_line_conn<C: LineConn>(make: impl Fn(Mock) -> C) -> Result<(), String> {
    // A request, and its reply split over two reads.
    let mock = Builder::new()
        .write(b"GET a\n")
        .read(b"val")
        .read(b"ue a\n")
        .build();
    let mut conn = make(mock);
    match bounded(conn.send("GET a")).await? {
        Ok(()) => {}
        Err(error) => return Err(format!("send(\"GET a\") failed: {error}")),
    }
    let got = bounded(conn.recv()).await?;
    expect(got, Some("value a"), "a line split over two reads")?;
    let got = bounded(conn.recv()).await?;
    expect(got, None, "the stream ended after the line")?;
    drop(conn);

    // Two lines in one read.
    let mut conn = make(Builder::new().read(b"one\ntwo\n").build());
    let got = bounded(conn.recv()).await?;
    expect(got, Some("one"), "the first of two lines in one read")?;
    let got = bounded(conn.recv()).await?;
    expect(got, Some("two"), "the second of two lines in one read")?;

    // The stream ends in the middle of a line.
    let mut conn = make(Builder::new().read(b"par").build());
    match bounded(conn.recv()).await? {
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {}
        other => {
            return Err(format!(
                "the stream ended in the middle of a line: expected an UnexpectedEof error, \
                 got {other:?}"
            ));
        }
    }

    // An empty line is a line, and the lines after it are read too.
    let mut conn = make(Builder::new().read(b"\nlast\n").build());
    let got = bounded(conn.recv()).await?;
    expect(got, Some(""), "an empty line")?;
    let got = bounded(conn.recv()).await?;
    expect(got, Some("last"), "the line after an empty line")?;
    let got = bounded(conn.recv()).await?;
    expect(got, None, "the stream ended after the line")?;

    // A read that fails: the error comes back as it is.
    let reset = || io::Error::new(io::ErrorKind::ConnectionReset, "reset by the peer");
    let mut conn = make(Builder::new().read(b"one\n").read_error(reset()).build());
    let got = bounded(conn.recv()).await?;
    expect(got, Some("one"), "the line before a failed read")?;
    match bounded(conn.recv()).await? {
        Err(error) if error.kind() == io::ErrorKind::ConnectionReset => {}
        other => {
            return Err(format!(
                "a read failed with ConnectionReset: recv() must return that error, got \
                 {other:?}"
            ));
        }
    }

    // A write that fails: send() returns the error.
    let mut conn = make(Builder::new().write_error(reset()).build());
    match bounded(conn.send("GET a")).await? {
        Err(error) if error.kind() == io::ErrorKind::ConnectionReset => {}
        other => {
            return Err(format!(
                "a write failed with ConnectionReset: send() must return that error, got \
                 {other:?}"
            ));
        }
    }
    drop(conn);

    // A short write: the stream takes 4 bytes, then the rest after a while.
    let mock = Builder::new()
        .write(b"GET ")
        .wait(Duration::from_millis(10))
        .write(b"b\n")
        .read(b"value b\n")
        .build();
    let mut conn = make(mock);
    match bounded(conn.send("GET b")).await? {
        Ok(()) => {}
        Err(error) => return Err(format!("send(\"GET b\") failed: {error}")),
    }
    let got = bounded(conn.recv()).await?;
    expect(
        got,
        Some("value b"),
        "the reply to a line written in two parts (a short write)",
    )
}

/// Awaits `op` for at most a second of (virtual) time: a mock that waits for a write
/// it never gets would otherwise leave the check hanging.
async fn bounded<T>(op: impl Future<Output = T>) -> Result<T, String> {
    tokio::time::timeout(Duration::from_secs(1), op)
        .await
        .map_err(|_| {
            "the connection never finished: the mock waits for a write it was told to expect, \
             or for a read the connection never makes"
                .to_string()
        })
}

fn expect(got: io::Result<Option<String>>, want: Option<&str>, what: &str) -> Result<(), String> {
    match got {
        Ok(line) if line.as_deref() == want => Ok(()),
        other => Err(format!("{what}: expected Ok({want:?}), got {other:?}")),
    }
}
