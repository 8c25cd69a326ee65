//! Testing by hand: poll a future yourself, and script the bytes a connection sees.

use std::io;

use tokio_test::io::Mock;

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
    let _ = make;
    todo!(
        "poll wait() futures by hand with tokio_test::task::spawn, open the gate, check who was woken"
    )
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
    let _ = make;
    todo!("script mocks with tokio_test::io::Builder, hand each to make(), check what comes back")
}
