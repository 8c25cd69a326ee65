//! Testing by hand: poll a future yourself, and script the bytes a connection sees.

use std::io;
use std::time::Duration;

use tokio_test::io::{Builder, Mock};
use tokio_test::{assert_pending, assert_ready, task};

/// A one-way gate: closed when made, open for good once `open` is called.
pub trait Gate {
    /// A future that completes once the gate is open: at its first poll if it already
    /// is. While the gate is closed it stays pending, and `open` wakes it, however many
    /// `wait` futures are pending at the time.
    fn wait(&self) -> impl Future<Output = ()> + '_;

    /// Opens the gate and wakes every `wait` future pending on it.
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
    assert_pending!(first.poll(), "a wait() on a closed gate must stay pending");
    assert_pending!(
        second.poll(),
        "a second wait() on a closed gate must stay pending"
    );
    gate.open();
    if !first.is_woken() || !second.is_woken() {
        return Err(format!(
            "open() woke {} of the 2 pending waiters: a task awaiting one that is not woken \
             sleeps forever",
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
    let mut late = task::spawn(gate.wait());
    assert_ready!(
        late.poll(),
        "a wait() on an open gate must be ready at once"
    );
    Ok(())
}

/// The client's end of a line protocol over a byte stream.
pub trait LineConn {
    /// Writes `line` followed by `\n`.
    fn send(&mut self, line: &str) -> impl Future<Output = io::Result<()>>;

    /// Reads the next line, without its `\n`. A line may arrive split over many reads,
    /// and one read may bring several lines: none is lost. `Ok(None)` once the stream
    /// ends between two lines; an `io::ErrorKind::UnexpectedEof` error if it ends in the
    /// middle of one.
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
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => Ok(()),
        other => Err(format!(
            "the stream ended in the middle of a line: expected an UnexpectedEof error, got \
             {other:?}"
        )),
    }
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
