//! Every test runs on a current-thread runtime: one thread runs every task, the way a
//! busy multi-threaded runtime looks when all its workers are blocked.
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `calls_work_inline` (t02, t05): `offload` calls `work()` right in the async fn, on the runtime's only thread
//! - `tokio_spawn_work` (t02, t05): `tokio::spawn(async move { work() })`, still a task on the runtime's thread
//! - `thread_spawn_join` (t02, t05): the work runs on a thread of its own, but the runtime's thread blocks in `join` (found after the 5 s backstop)
//! - `block_in_place` (t01): `tokio::task::block_in_place` panics on a current-thread runtime
//! - `unwraps_join_error` (t03): the `JoinError` is unwrapped, so the work's panic comes back as a new panic, its message lost
//! - `read_all_unwraps_io_error` (t06): the reader's `io::Error` is unwrapped inside the closure and becomes a panic
//! - `read_all_reads_once` (t05): one `read` call returns what has arrived so far, not everything to the end
//!
//! The one real-time wait: blocking code in these tests waits on a std channel for the
//! heartbeat, at most 5 s (`next_beat`). A runtime thread stuck in a blocking call
//! (`join`, `recv`) is invisible to the runtime's clock and to any poll or wake counter,
//! so only a real clock can tell "never" from "not yet". A correct answer never waits
//! near it (the beats come in microseconds), a wrong one fails in 5 s, under the
//! runner's 10 s limit, with a message instead of a time-out. Code that runs on the
//! runtime's own thread is caught at once, without waiting (`ON_RUNTIME_THREAD`).

use std::io::{self, Cursor, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, ThreadId};
use std::time::Duration;

use blocking_the_runtime::{offload, read_all};
use tokio::task::{JoinError, JoinHandle};

const ON_RUNTIME_THREAD: &str = "the blocking code ran on the runtime's thread: while it \
    blocks, no other task (not even the heartbeat) can run; hand it to the blocking pool";
const STARVED: &str = "the blocking code waited 5 s for a heartbeat that never came: the \
    runtime's only thread was blocked, so the heartbeat task could not run";

/// A task that beats `beats` times, yielding to the runtime between beats, and reports
/// each beat on a std channel; the channel closes when it is done.
fn heartbeat(beats: u32) -> (JoinHandle<()>, Receiver<u32>) {
    let (beat, pulse) = mpsc::channel();
    let task = tokio::spawn(async move {
        for n in 1..=beats {
            beat.send(n).unwrap();
            tokio::task::yield_now().await;
        }
    });
    (task, pulse)
}

/// Blocking code's side of the heartbeat: the next beat, `None` once the heartbeat is
/// done, or why the heartbeat cannot be beating. The 5 s is only a backstop for a
/// runtime thread blocked elsewhere (see the header for why it is real time): a
/// correct answer never waits anywhere near it.
fn next_beat(pulse: &Receiver<u32>, runtime_thread: ThreadId) -> Result<Option<u32>, &'static str> {
    if thread::current().id() == runtime_thread {
        return Err(ON_RUNTIME_THREAD);
    }
    match pulse.recv_timeout(Duration::from_secs(5)) {
        Ok(n) => Ok(Some(n)),
        Err(RecvTimeoutError::Disconnected) => Ok(None),
        Err(RecvTimeoutError::Timeout) => Err(STARVED),
    }
}

#[tokio::test]
async fn t01_offload_gives_back_the_result() {
    let sum = offload(|| (1..=1_000u64).sum::<u64>()).await;
    assert_eq!(sum, 500_500, "offload returns what the work computed");
}

#[tokio::test]
async fn t02_the_heartbeat_keeps_beating_while_the_work_blocks() {
    let runtime_thread = thread::current().id();
    let (heartbeat, pulse) = heartbeat(3);
    // Blocking work that can only finish by seeing every beat of the heartbeat.
    let seen = offload(move || {
        let mut seen = Vec::new();
        while let Some(n) = next_beat(&pulse, runtime_thread)? {
            seen.push(n);
        }
        Ok::<_, &str>(seen)
    })
    .await;
    assert_eq!(
        seen,
        Ok(vec![1, 2, 3]),
        "while the blocking work ran, the heartbeat task must have beaten 3 times"
    );
    heartbeat.await.expect("the heartbeat task failed");
}

/// The message a task panicked with.
fn panic_message(error: JoinError) -> String {
    let payload = error.into_panic();
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload.downcast_ref::<&str>().map_or_else(
            || "a panic without a message".to_owned(),
            |m| (*m).to_owned(),
        ),
    }
}

#[tokio::test]
async fn t03_a_panic_in_the_work_reaches_the_caller_unchanged() {
    let caller = tokio::spawn(offload(|| -> u64 { panic!("checksum mismatch") }));
    let error = caller
        .await
        .expect_err("the work panicked, so offload must panic too");
    assert_eq!(
        panic_message(error),
        "checksum mismatch",
        "the caller must see the work's own panic: the blocking pool hands it back as a \
         JoinError, resume it (std::panic::resume_unwind) instead of unwrapping the \
         JoinError into a new panic"
    );
}

#[tokio::test]
async fn t04_read_all_reads_to_the_end() {
    let bytes = read_all(Cursor::new(b"line one\nline two\n".to_vec())).await;
    assert_eq!(
        bytes.expect("reading an in-memory reader cannot fail"),
        b"line one\nline two\n",
        "read_all returns every byte of the reader, in order"
    );
}

/// A blocking reader whose data arrives with the heartbeat: one line per beat, the end
/// of the data when the heartbeat stops.
struct BeatReader {
    pulse: Receiver<u32>,
    runtime_thread: ThreadId,
    line: Vec<u8>,
}

impl Read for BeatReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.line.is_empty() {
            match next_beat(&self.pulse, self.runtime_thread).map_err(io::Error::other)? {
                Some(n) => self.line = format!("beat {n}\n").into_bytes(),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.line.len());
        buf[..n].copy_from_slice(&self.line[..n]);
        self.line.drain(..n);
        Ok(n)
    }
}

#[tokio::test]
async fn t05_read_all_does_not_block_the_heartbeat() {
    let runtime_thread = thread::current().id();
    let (heartbeat, pulse) = heartbeat(3);
    let reader = BeatReader {
        pulse,
        runtime_thread,
        line: Vec::new(),
    };
    match read_all(reader).await {
        Ok(bytes) => assert_eq!(
            String::from_utf8_lossy(&bytes),
            "beat 1\nbeat 2\nbeat 3\n",
            "the reader's data arrives with the heartbeat: all three beats must be read"
        ),
        Err(error) => panic!("{error}"),
    }
    heartbeat.await.expect("the heartbeat task failed");
}

/// A reader whose device has failed.
struct BrokenReader;

impl Read for BrokenReader {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::new(
            io::ErrorKind::BrokenPipe,
            "device unplugged",
        ))
    }
}

#[tokio::test]
async fn t06_read_all_returns_io_errors() {
    let result = tokio::spawn(read_all(BrokenReader))
        .await
        .unwrap_or_else(|error| {
            panic!(
                "read_all panicked ({}): an I/O error must come back as Err, not as a panic",
                panic_message(error)
            )
        });
    let error = result.expect_err("the reader failed, so read_all must return Err");
    assert_eq!(
        (error.kind(), error.to_string()),
        (io::ErrorKind::BrokenPipe, "device unplugged".to_owned()),
        "the reader's own io::Error comes back to the caller"
    );
}
