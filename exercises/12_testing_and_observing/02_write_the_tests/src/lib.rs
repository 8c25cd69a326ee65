//! Testing by hand: poll a future yourself, and script the bytes a connection sees.

use std::io;

use tokio_test::io::Mock;

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
    let _ = make;
    todo!(
        "poll wait() futures by hand with tokio_test::task::spawn, open the gate, check who was woken"
    )
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
    let _ = make;
    todo!("script mocks with tokio_test::io::Builder, hand each to make(), check what comes back")
}
