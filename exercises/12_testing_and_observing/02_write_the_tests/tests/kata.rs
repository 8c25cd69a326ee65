//! Your checks against gates and line connections: for each, one right and several each
//! broken in its own way. Each test runs your check first on the correct one (it must
//! pass), then on one planted bug (it must return an `Err` or panic).
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `opens_before_waiting` (t02, t03, t04, t05, t07, t19): the happy path, a wait() on a gate already open
//! - `one_waiter_only` (t03, t07): never two waiters pending at once
//! - `woken_is_enough` (t04, t19): checks the wake, never polls again: woken taken for ready
//! - `closed_gate_polled_once` (t05, t07, t15, t16, t17, t18): one poll of a closed gate, never a second: a gate ready at its second poll passes
//! - `no_wait_after_open` (t06, t07, t15, t16, t17, t18): no wait() polled for the first time after open()
//! - `ready_without_checking_woken` (t02, t03, t07, t15, t16, t17, t18): polls after open() without asking whether open() woke anyone
//! - `gate_woken_taken_as_ready` (t19): checks that open() woke the waiters, never polls them again: woken taken for ready
//! - `every_line_in_its_own_read` (t09, t11): each line scripted as one whole read of its own
//! - `never_sends` (t10, t17, t18): scripts only reads, so what is written is never checked
//! - `no_timeout` (t10): awaits recv() unbounded: hangs where the mock waits for a write
//! - `any_error_at_eof` (t13): checks that a stream ending inside a line gives an error, not which kind
//! - `checks_ok_not_the_line` (t11, t15): checks that recv() is Ok, not which line came
//! - `clean_eof_not_checked` (t07, t14, t15, t16, t17, t18): never reads past the last line: what the clean end gives goes unchecked
//!
//! Blind answers: 8 tried, 3 passed before this test file caught them (2026-12):
//! `closed_gate_polled_once` (t05: a closed gate that wakes itself and is ready at its
//! second poll), `no_wait_after_open` (t06: a gate with no flag, like
//! `Notify::notify_waiters`, that leaves a wait() first polled after open() pending),
//! `clean_eof_not_checked` (t14: every end of stream taken for a cut line). Every blind
//! answer missed what no planted bug asked for: a waiter cancelled before open() (t07),
//! an empty line (t15), a failed read (t16), a failed write (t17), a short write (t18);
//! the spec now says each of these. Not part of the spec, so no planted bug depends on
//! them: a `\r` before the `\n`, bytes that are not UTF-8, what recv() gives after the
//! end or an error, a connection that writes before it has read a reply (the mock does
//! not order a write after reads). A second blind round (2026-12, after these tests): 6
//! tried, 1 passed: `gate_woken_taken_as_ready` (it asked `is_woken()` after open() and
//! never polled the woken waiters again; t04's gate fails the wait() made before open()
//! too, and that one it polled; t19 now, a gate whose waiters read the flag at their
//! first poll: woken, never ready, while a wait() first polled after open() is ready).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::poll_fn;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio_test::io::Mock;
use write_the_tests::{Gate, LineConn, check_gate, check_line_conn};

/// What running a check gave.
#[derive(Debug)]
enum Verdict {
    Passed,
    Failed(String),
    Panicked(String),
    Hung,
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic".to_string())
}

fn run_gate<G: Gate>(make: impl Fn() -> G) -> Verdict {
    match catch_unwind(AssertUnwindSafe(|| check_gate(make))) {
        Ok(Ok(())) => Verdict::Passed,
        Ok(Err(error)) => Verdict::Failed(error),
        Err(payload) => Verdict::Panicked(panic_message(&*payload)),
    }
}

/// Runs the check as a `#[tokio::test(start_paused = true)]` body; a check still running
/// after an hour of virtual time is stopped and reported as hung.
fn run_conn<C: LineConn>(make: impl Fn(Mock) -> C) -> Verdict {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    let hung = Cell::new(false);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        runtime.block_on(async {
            let mut check = Box::pin(tokio::time::timeout(
                Duration::from_secs(3600),
                check_line_conn(make),
            ));
            let outcome = (&mut check).await;
            // Noted before the check is dropped: a mock dropped with bytes left to read
            // or write panics, and that panic must not pass for a verdict.
            hung.set(outcome.is_err());
            drop(check);
            outcome
        })
    }));
    match outcome {
        _ if hung.get() => Verdict::Hung,
        Ok(Ok(Ok(()))) => Verdict::Passed,
        Ok(Ok(Err(error))) => Verdict::Failed(error),
        Ok(Err(_)) => Verdict::Hung,
        Err(payload) => Verdict::Panicked(panic_message(&*payload)),
    }
}

fn must_pass(verdict: Verdict, what: &str) {
    match verdict {
        Verdict::Passed => {}
        Verdict::Failed(error) | Verdict::Panicked(error) => panic!(
            "your check rejected a correct {what}: {error}. A check that fails correct code \
             is a broken test"
        ),
        Verdict::Hung => panic!(
            "your check never finished on a correct {what} (an hour of virtual time passed): \
             it awaits something that never comes"
        ),
    }
}

fn must_catch(verdict: Verdict, bug: &str) {
    match verdict {
        Verdict::Failed(_) | Verdict::Panicked(_) => {}
        Verdict::Passed => panic!("your check passed {bug}"),
        Verdict::Hung => panic!(
            "your check never finished on {bug} (an hour of virtual time passed): a test \
             that hangs is no verdict. Bound each wait with `tokio::time::timeout`"
        ),
    }
}

/// The gate as specified.
#[derive(Default)]
struct Correct {
    open: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
}

impl Gate for Correct {
    fn wait(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(move |cx| {
            if self.open.get() {
                return Poll::Ready(());
            }
            let mut waiters = self.waiters.borrow_mut();
            if !waiters.iter().any(|w| w.will_wake(cx.waker())) {
                waiters.push(cx.waker().clone());
            }
            Poll::Pending
        })
    }

    fn open(&self) {
        self.open.set(true);
        for waker in self.waiters.take() {
            waker.wake();
        }
    }
}

/// Returns `Pending` without keeping the waker: nobody is ever woken.
#[derive(Default)]
struct NeverWakes {
    open: Cell<bool>,
}

impl Gate for NeverWakes {
    fn wait(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(move |_| {
            if self.open.get() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
    }

    fn open(&self) {
        self.open.set(true);
    }
}

/// Keeps one waker, the latest: of several waiters, only the last one polled is woken.
#[derive(Default)]
struct WakesTheLastWaiter {
    open: Cell<bool>,
    waiter: RefCell<Option<Waker>>,
}

impl Gate for WakesTheLastWaiter {
    fn wait(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(move |cx| {
            if self.open.get() {
                return Poll::Ready(());
            }
            *self.waiter.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        })
    }

    fn open(&self) {
        self.open.set(true);
        if let Some(waker) = self.waiter.take() {
            waker.wake();
        }
    }
}

/// Reads the flag when `wait` is called, not when the future is polled: a waiter made
/// before `open` is woken, and stays pending.
#[derive(Default)]
struct ReadsTheFlagOnce {
    open: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
}

impl Gate for ReadsTheFlagOnce {
    fn wait(&self) -> impl Future<Output = ()> + '_ {
        let was_open = self.open.get();
        poll_fn(move |cx| {
            if was_open {
                return Poll::Ready(());
            }
            self.waiters.borrow_mut().push(cx.waker().clone());
            Poll::Pending
        })
    }

    fn open(&self) {
        self.open.set(true);
        for waker in self.waiters.take() {
            waker.wake();
        }
    }
}

/// Wakes itself and is ready at its second poll, open or not: a `yield_now`, not a gate.
/// The second poll is taken for the wake-up of `open`.
#[derive(Default)]
struct ReadyAtTheSecondPoll {
    open: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
}

impl Gate for ReadyAtTheSecondPoll {
    fn wait(&self) -> impl Future<Output = ()> + '_ {
        let mut polled = false;
        poll_fn(move |cx| {
            if self.open.get() || polled {
                return Poll::Ready(());
            }
            polled = true;
            self.waiters.borrow_mut().push(cx.waker().clone());
            cx.waker().wake_by_ref();
            Poll::Pending
        })
    }

    fn open(&self) {
        self.open.set(true);
        for waker in self.waiters.take() {
            waker.wake();
        }
    }
}

/// Keeps no flag: `open` releases the waiters registered at the time, as
/// `Notify::notify_waiters` does, and a `wait()` first polled after it waits for good.
#[derive(Default)]
struct ReleasesOnlyThePending {
    waiters: RefCell<Vec<(Rc<Cell<bool>>, Waker)>>,
}

impl Gate for ReleasesOnlyThePending {
    fn wait(&self) -> impl Future<Output = ()> + '_ {
        let released = Rc::new(Cell::new(false));
        let mut registered = false;
        poll_fn(move |cx| {
            if released.get() {
                return Poll::Ready(());
            }
            if !registered {
                registered = true;
                self.waiters
                    .borrow_mut()
                    .push((Rc::clone(&released), cx.waker().clone()));
            }
            Poll::Pending
        })
    }

    fn open(&self) {
        for (released, waker) in self.waiters.take() {
            released.set(true);
            waker.wake();
        }
    }
}

/// A `wait()` dropped while the gate is closed means to take its own waker out of the
/// list, and clears the whole list: the waiters still pending are never woken.
#[derive(Default)]
struct DropForgetsEveryWaiter {
    open: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
}

struct Waiting<'a> {
    gate: &'a DropForgetsEveryWaiter,
}

impl Future for Waiting<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.gate.open.get() {
            return Poll::Ready(());
        }
        let mut waiters = self.gate.waiters.borrow_mut();
        if !waiters.iter().any(|w| w.will_wake(cx.waker())) {
            waiters.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if !self.gate.open.get() {
            self.gate.waiters.borrow_mut().clear();
        }
    }
}

impl Gate for DropForgetsEveryWaiter {
    fn wait(&self) -> impl Future<Output = ()> + '_ {
        Waiting { gate: self }
    }

    fn open(&self) {
        self.open.set(true);
        for waker in self.waiters.take() {
            waker.wake();
        }
    }
}

/// An `async fn` that reads the flag once, at its first poll, and keeps that reading: a
/// waiter first polled before `open` is woken by it, yet stays pending however often it
/// is polled again; a `wait()` first polled after `open` is ready.
#[derive(Default)]
struct ReadsTheFlagAtTheFirstPoll {
    open: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
}

impl Gate for ReadsTheFlagAtTheFirstPoll {
    async fn wait(&self) {
        let was_open = self.open.get();
        poll_fn(|cx| {
            if was_open {
                return Poll::Ready(());
            }
            let mut waiters = self.waiters.borrow_mut();
            if !waiters.iter().any(|w| w.will_wake(cx.waker())) {
                waiters.push(cx.waker().clone());
            }
            Poll::Pending
        })
        .await
    }

    fn open(&self) {
        self.open.set(true);
        for waker in self.waiters.take() {
            waker.wake();
        }
    }
}

fn eof_inside_a_line() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the stream ended in the middle of a line",
    )
}

/// The line connection as specified.
struct Good {
    io: BufReader<Mock>,
}

impl LineConn for Good {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        let mut bytes = line.as_bytes().to_vec();
        bytes.push(b'\n');
        self.io.write_all(&bytes).await?;
        self.io.flush().await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        if self.io.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        match line.strip_suffix('\n') {
            Some(line) => Ok(Some(line.to_string())),
            None => Err(eof_inside_a_line()),
        }
    }
}

fn good(mock: Mock) -> Good {
    Good {
        io: BufReader::new(mock),
    }
}

/// Splits each read into lines, taking a read that does not end in `\n` for the stream
/// ending inside a line: it assumes a read never stops in the middle of a line.
struct SplitsEachRead {
    io: Mock,
    lines: VecDeque<String>,
}

impl LineConn for SplitsEachRead {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        self.io.write_all(format!("{line}\n").as_bytes()).await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        if let Some(line) = self.lines.pop_front() {
            return Ok(Some(line));
        }
        let mut buf = [0; 1024];
        let n = self.io.read(&mut buf).await?;
        if n == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&buf[..n]);
        if !text.ends_with('\n') {
            return Err(eof_inside_a_line());
        }
        self.lines
            .extend(text.split_terminator('\n').map(str::to_string));
        Ok(self.lines.pop_front())
    }
}

/// Writes the line without its `\n`.
struct ForgetsTheNewline {
    inner: Good,
}

impl LineConn for ForgetsTheNewline {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        self.inner.io.write_all(line.as_bytes()).await?;
        self.inner.io.flush().await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        self.inner.recv().await
    }
}

/// A fresh `BufReader` for every line: what it read past the line is dropped with it.
struct FreshReaderPerLine {
    io: Mock,
}

impl LineConn for FreshReaderPerLine {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        self.io.write_all(format!("{line}\n").as_bytes()).await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        if BufReader::new(&mut self.io).read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        match line.strip_suffix('\n') {
            Some(line) => Ok(Some(line.to_string())),
            None => Err(eof_inside_a_line()),
        }
    }
}

/// Takes the bytes before an end of stream for a whole line.
struct PartialLineIsALine {
    io: BufReader<Mock>,
}

impl LineConn for PartialLineIsALine {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        self.io.write_all(format!("{line}\n").as_bytes()).await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        if self.io.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        Ok(Some(line.trim_end_matches('\n').to_string()))
    }
}

/// Reports a stream that ends inside a line as `InvalidData`, not `UnexpectedEof`.
struct WrongErrorKind {
    io: BufReader<Mock>,
}

impl LineConn for WrongErrorKind {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        self.io.write_all(format!("{line}\n").as_bytes()).await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        if self.io.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        match line.strip_suffix('\n') {
            Some(line) => Ok(Some(line.to_string())),
            None => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "not a whole line",
            )),
        }
    }
}

/// Takes any missing `\n` for a line cut off: a stream that ends between two lines gives
/// `UnexpectedEof` too, never `Ok(None)`.
struct EndIsAlwaysAnError {
    io: BufReader<Mock>,
}

impl LineConn for EndIsAlwaysAnError {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        self.io.write_all(format!("{line}\n").as_bytes()).await?;
        self.io.flush().await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        self.io.read_line(&mut line).await?;
        match line.strip_suffix('\n') {
            Some(line) => Ok(Some(line.to_string())),
            None => Err(eof_inside_a_line()),
        }
    }
}

/// Tells the end of the stream by an empty line, not by a read of 0 bytes: an empty line
/// (`"\n"`) is taken for the end.
struct EmptyLineIsTheEnd {
    io: BufReader<Mock>,
}

impl LineConn for EmptyLineIsTheEnd {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        self.io.write_all(format!("{line}\n").as_bytes()).await?;
        self.io.flush().await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        self.io.read_line(&mut line).await?;
        let whole = line.ends_with('\n');
        let line = line.trim_end_matches('\n');
        if line.is_empty() {
            return Ok(None);
        }
        if !whole {
            return Err(eof_inside_a_line());
        }
        Ok(Some(line.to_string()))
    }
}

/// Takes a failed read for the end of the stream (`unwrap_or(0)`): the error is lost, and
/// the caller hears of a clean end.
struct ReadErrorIsTheEnd {
    io: BufReader<Mock>,
}

impl LineConn for ReadErrorIsTheEnd {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        self.io.write_all(format!("{line}\n").as_bytes()).await?;
        self.io.flush().await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        if self.io.read_line(&mut line).await.unwrap_or(0) == 0 {
            return Ok(None);
        }
        match line.strip_suffix('\n') {
            Some(line) => Ok(Some(line.to_string())),
            None => Err(eof_inside_a_line()),
        }
    }
}

/// Drops what writing says: `send` is `Ok` even when the stream failed the write.
struct IgnoresWriteErrors {
    inner: Good,
}

impl LineConn for IgnoresWriteErrors {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        let _ = self.inner.send(line).await;
        Ok(())
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        self.inner.recv().await
    }
}

/// One `write` call, not `write_all`: when the stream takes only part of the line (a short
/// write), the rest is never written.
struct WritesOnce {
    inner: Good,
}

impl LineConn for WritesOnce {
    async fn send(&mut self, line: &str) -> io::Result<()> {
        let bytes = format!("{line}\n");
        let _taken = self.inner.io.write(bytes.as_bytes()).await?;
        self.inner.io.flush().await
    }

    async fn recv(&mut self) -> io::Result<Option<String>> {
        self.inner.recv().await
    }
}

fn catches_gate<G: Gate>(make: impl Fn() -> G, bug: &str) {
    must_pass(run_gate(Correct::default), "gate");
    must_catch(run_gate(make), bug);
}

fn catches_conn<C: LineConn>(make: impl Fn(Mock) -> C, bug: &str) {
    must_pass(run_conn(good), "line connection");
    must_catch(run_conn(make), bug);
}

#[test]
fn t01_your_gate_check_passes_a_correct_gate() {
    must_pass(run_gate(Correct::default), "gate");
}

#[test]
fn t02_catches_a_gate_that_never_wakes() {
    catches_gate(
        NeverWakes::default,
        "a gate whose wait() returns Pending without keeping the waker: open() wakes \
         nobody, and a task awaiting it sleeps forever. An `.await` would just hang; poll \
         it by hand and ask `is_woken()` after open()",
    );
}

#[test]
fn t03_catches_a_gate_that_wakes_one_waiter() {
    catches_gate(
        WakesTheLastWaiter::default,
        "a gate that keeps only the latest waker: with two waiters pending, open() wakes \
         the second and the first sleeps forever. Check with more than one waiter",
    );
}

#[test]
fn t04_catches_a_waiter_that_stays_pending_after_the_wake() {
    catches_gate(
        ReadsTheFlagOnce::default,
        "a gate whose wait() reads the flag once, when it is called: a waiter made before \
         open() is woken, and is still pending when polled again. Being woken is not \
         being ready: poll again after the wake",
    );
}

#[test]
fn t05_catches_a_closed_gate_ready_at_the_second_poll() {
    catches_gate(
        ReadyAtTheSecondPoll::default,
        "a gate whose wait() wakes itself and is ready at its second poll, open or not: a \
         yield, not a gate. Poll a waiter again while the gate is still closed: it must stay \
         pending, and nothing but open() may wake it",
    );
}

#[test]
fn t06_catches_a_gate_that_forgets_it_opened() {
    catches_gate(
        ReleasesOnlyThePending::default,
        "a gate with no flag: open() releases the waiters already polled, as \
         `Notify::notify_waiters` does, and a wait() first polled after open() stays \
         pending for good. The spec says \"open for good\": poll a wait() for the first time \
         after open(), made before it or after",
    );
}

#[test]
fn t07_catches_a_dropped_waiter_that_takes_the_others_with_it() {
    catches_gate(
        DropForgetsEveryWaiter::default,
        "a gate whose wait() future, dropped while the gate is closed, clears the whole list \
         of waiters instead of its own entry: the waiters still pending are never woken. A \
         task cancelled while it waits is dropped: drop one pending waiter before open(), \
         and check that the others are still woken",
    );
}

#[test]
fn t08_your_connection_check_passes_a_correct_connection() {
    must_pass(run_conn(good), "line connection");
}

#[test]
fn t09_catches_a_read_taken_for_whole_lines() {
    catches_conn(
        |io| SplitsEachRead {
            io,
            lines: VecDeque::new(),
        },
        "a connection that splits each `read` into lines, and takes a read that stops in \
         the middle of a line for the end of the stream. A byte stream (TCP, a pipe) \
         delivers bytes, not messages: script a line split over two `read`s with \
         `tokio_test::io::Builder`",
    );
}

#[test]
fn t10_catches_a_missing_newline() {
    catches_conn(
        |mock| ForgetsTheNewline { inner: good(mock) },
        "a connection that writes the line without its `\\n`. Tell the mock which bytes \
         to expect with `Builder::write`: it checks every byte written",
    );
}

#[test]
fn t11_catches_lines_lost_between_reads() {
    catches_conn(
        |io| FreshReaderPerLine { io },
        "a connection that makes a fresh `BufReader` for every line, so the bytes it read \
         past the first line are dropped with it. Script two lines in one read",
    );
}

#[test]
fn t12_catches_a_partial_line_taken_for_a_line() {
    catches_conn(
        |mock| PartialLineIsALine {
            io: BufReader::new(mock),
        },
        "a connection that returns the bytes before an end of stream as a whole line, \
         where the spec says `UnexpectedEof`. Script a stream that ends in the middle of \
         a line",
    );
}

#[test]
fn t13_catches_the_wrong_error_kind() {
    catches_conn(
        |mock| WrongErrorKind {
            io: BufReader::new(mock),
        },
        "a connection that reports a stream ending inside a line as `InvalidData`. The \
         kind is part of the contract (a caller tells \"the peer hung up mid-line\" from \
         \"the peer sent garbage\" by it): check `error.kind()`, not only that it failed",
    );
}

#[test]
fn t14_catches_a_clean_end_taken_for_a_cut_line() {
    catches_conn(
        |mock| EndIsAlwaysAnError {
            io: BufReader::new(mock),
        },
        "a connection that takes every end of stream for a line cut off: after the last \
         whole line, recv() gives `UnexpectedEof` where the spec says `Ok(None)`. Read on \
         past the last line, and check what the clean end gives",
    );
}

#[test]
fn t15_catches_an_empty_line_taken_for_the_end() {
    catches_conn(
        |mock| EmptyLineIsTheEnd {
            io: BufReader::new(mock),
        },
        "a connection that tells the end of the stream by an empty line rather than by a \
         read of 0 bytes: a line that is just `\\n` gives `Ok(None)`, and the lines after \
         it are never read. An empty line is a line: script one, with a line after it",
    );
}

#[test]
fn t16_catches_a_read_error_taken_for_the_end() {
    catches_conn(
        |mock| ReadErrorIsTheEnd {
            io: BufReader::new(mock),
        },
        "a connection that takes a failed read for the end of the stream: the error is \
         lost and the caller hears of a clean end. Script a failure with \
         `Builder::read_error` and check that recv() returns it, kind and all",
    );
}

#[test]
fn t17_catches_a_write_error_ignored() {
    catches_conn(
        |mock| IgnoresWriteErrors { inner: good(mock) },
        "a connection whose send() is `Ok` even when the stream failed the write. Script a \
         failure with `Builder::write_error` and check that send() returns it",
    );
}

#[test]
fn t18_catches_a_short_write_left_unfinished() {
    catches_conn(
        |mock| WritesOnce { inner: good(mock) },
        "a connection that makes one `write` call where `write_all` is needed: when the \
         stream takes part of the line (a short write), the rest is never written. Make \
         the mock take a line in two writes: `.write(b\"GET \").wait(d).write(b\"a\\n\")`, \
         the `.wait` stops the first write after 4 bytes",
    );
}

#[test]
fn t19_catches_a_woken_waiter_that_is_never_ready() {
    catches_gate(
        ReadsTheFlagAtTheFirstPoll::default,
        "a gate whose wait() reads the flag once, at its first poll, and keeps that reading: \
         open() wakes every waiter pending on it, yet each stays pending when polled again, \
         while a wait() first polled after open() is ready. `is_woken()` says only that the \
         task was asked to poll again: poll each woken waiter again, and check that it is \
         ready",
    );
}
