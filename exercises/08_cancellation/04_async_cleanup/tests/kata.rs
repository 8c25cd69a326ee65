//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `single_write` (t01, t07, t09): one `write` call for the buffer: a sink that takes a few bytes at a time gets only the start
//! - `no_sink_flush` (t01, t07, t08): the bytes are written but the sink itself is never flushed
//! - `keeps_buffer_after_flush` (t02, t07): the buffer is not cleared after a flush: the next flush writes every line again
//! - `close_without_shutdown` (t03, t08): `close` flushes but never shuts the sink down
//! - `close_not_disarming` (t03, t09): `close` works, but the destructor raises its alarm all the same
//! - `counts_every_line` (t04, t07, t08): the alarm counts every line ever logged, the flushed ones too
//! - `alarm_only_when_lines_lost` (t05, t08): no alarm when nothing was buffered: a skipped `close` goes unreported
//! - `no_drop_impl` (t04, t05, t06, t07, t08, t09, t10, t11): no destructor: a log dropped without `close` loses its lines in silence
//! - `buffer_taken_before_write` (t07, t08, t09): the buffer taken out (`mem::take`) and the count reset before the write: a failed or cancelled flush loses the lines
//! - `close_swallows_shutdown_error` (t08): the sink's shutdown error ignored: a close that failed returns `Ok`
//! - `closed_set_before_io` (t08): the destructor disarmed first thing in `close`: a close that fails raises no alarm
//!
//! Blind answers: 8 tried, 3 passed before this test file caught them (2026-12): the
//! three above. Before, the sink never failed and nothing was ever cancelled mid-flush.
//! t07 fails the second flush at each of its writes, with a write that takes nothing,
//! and at the sink's flush (the fault kit's `Writer`), then drops the log or flushes
//! again; t08 fails a close at its write, its flush and its shutdown; t09 drops a flush
//! then close over a slow pipe at each of its awaits (the fault kit's
//! `drop_at_each_await`); t10 poisons the alarms' lock; t11 logs a line with a `\n`
//! inside and an empty one. A flush after a failed one may write again what the sink
//! took before it failed, or leave it out: t07 accepts both, as the lesson says.
//!
//! Mutants: cargo-mutants finds 7 and the tests catch all 7.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use async_cleanup::{Alarms, BufferedLog};
use timeline::Timeline;
use timeline::faults::futures::{Outcome, drop_at_each_await};
use timeline::faults::io::{Fault, Writer};
use tokio::io::{AsyncReadExt, AsyncWrite};
use tokio::time::sleep;

/// What the sink saw: the bytes written, and the calls made, in order (consecutive
/// writes counted as one "write").
#[derive(Debug, Default)]
struct Seen {
    written: String,
    calls: Vec<&'static str>,
}

/// A sink that takes at most 4 bytes per `write` (as a socket may), and records
/// everything done to it.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Seen>>);

impl Sink {
    fn written(&self) -> String {
        self.0.lock().unwrap().written.clone()
    }
    fn calls(&self) -> Vec<&'static str> {
        self.0.lock().unwrap().calls.clone()
    }
    fn call(&self, name: &'static str) {
        let mut seen = self.0.lock().unwrap();
        if !(name == "write" && seen.calls.last() == Some(&"write")) {
            seen.calls.push(name);
        }
    }
}

impl AsyncWrite for Sink {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let n = buf.len().min(4);
        if n > 0 {
            self.call("write");
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            self.0.lock().unwrap().written.push_str(&text);
        }
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.call("flush");
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.call("shutdown");
        Poll::Ready(Ok(()))
    }
}

fn setup() -> (BufferedLog<Sink>, Sink, Alarms) {
    let sink = Sink::default();
    let alarms = Alarms::default();
    (
        BufferedLog::new(sink.clone(), Arc::clone(&alarms)),
        sink,
        alarms,
    )
}

fn alarms_of(alarms: &Alarms) -> Vec<String> {
    alarms.lock().unwrap().clone()
}

#[tokio::test]
async fn t01_flush_writes_every_line_then_flushes_the_sink() {
    let (mut log, sink, _alarms) = setup();
    log.log("first line");
    log.log("second line");
    assert_eq!(
        sink.written(),
        "",
        "log() only buffers: nothing is written yet"
    );
    log.flush().await.expect("the sink never fails");
    assert_eq!(
        sink.written(),
        "first line\nsecond line\n",
        "flush must write every buffered byte. This sink takes at most 4 bytes per \
         write, as a socket may: `write` returns how many it took, and `write_all` \
         loops until all are in"
    );
    assert_eq!(
        sink.calls(),
        ["write", "flush"],
        "after writing, flush the sink itself (`AsyncWriteExt::flush`): the bytes may \
         sit in its own buffer otherwise"
    );
}

#[tokio::test]
async fn t02_a_line_is_written_once() {
    let (mut log, sink, _alarms) = setup();
    log.log("one");
    log.flush().await.expect("the sink never fails");
    log.log("two");
    log.flush().await.expect("the sink never fails");
    assert_eq!(
        sink.written(),
        "one\ntwo\n",
        "each flush writes what was logged since the last one: clear the buffer once \
         it is written"
    );
}

#[tokio::test]
async fn t03_close_flushes_then_shuts_the_sink_down() {
    let (mut log, sink, alarms) = setup();
    log.log("last words");
    log.close().await.expect("the sink never fails");
    assert_eq!(
        (sink.written(), sink.calls()),
        (
            "last words\n".to_string(),
            vec!["write", "flush", "shutdown"]
        ),
        "close writes what is buffered, flushes, then shuts the sink down \
         (`AsyncWriteExt::shutdown`: for a socket, the peer reads end-of-stream)"
    );
    assert_eq!(
        alarms_of(&alarms),
        Vec::<String>::new(),
        "the log was closed properly: its destructor (which runs at the end of \
         `close(self)`) must stay silent. Set a flag in close that disarms it"
    );
}

#[tokio::test]
async fn t04_dropped_without_close_it_reports_the_lines_lost() {
    let (mut log, sink, alarms) = setup();
    log.log("saved");
    log.flush().await.expect("the sink never fails");
    log.log("lost 1");
    log.log("lost 2");
    drop(log);
    assert_eq!(
        alarms_of(&alarms),
        ["dropped without close(): 2 unflushed lines lost"],
        "the log was dropped with two lines not yet flushed. Drop cannot `.await`, so \
         it cannot write them: it must say so, with the count of lines logged since the \
         last flush"
    );
    assert_eq!(
        sink.written(),
        "saved\n",
        "and nothing more reached the sink"
    );
}

#[tokio::test]
async fn t05_a_skipped_close_is_reported_even_with_nothing_lost() {
    let (mut log, _sink, alarms) = setup();
    log.log("saved");
    log.flush().await.expect("the sink never fails");
    drop(log);
    assert_eq!(
        alarms_of(&alarms),
        ["dropped without close(): 0 unflushed lines lost"],
        "every line was flushed, but close() was skipped, so the sink was never shut \
         down: the destructor reports that too"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_an_aborted_task_drops_its_log_at_its_await() {
    let (log, sink, alarms) = setup();
    let timeline = Timeline::new();
    timeline.expect("the task's wait cut off at the abort at 10 ms: its log is dropped there");
    let task = tokio::spawn({
        let timeline = timeline.clone();
        async move {
            let mut log = log;
            log.log("before the wait");
            timeline
                .run(
                    "task: log held across sleep",
                    sleep(Duration::from_secs(3600)),
                )
                .await;
            // Never reached: the task is aborted during the sleep.
            log.log("after the wait");
            log.close().await
        }
    });
    sleep(Duration::from_millis(10)).await;
    task.abort();
    assert_eq!(
        alarms_of(&alarms),
        Vec::<String>::new(),
        "abort() only schedules the cancellation and returns: the task's locals are \
         still alive until the runtime gets to the task\n\n{}",
        timeline.render()
    );
    let ended = task.await;
    assert!(
        ended.as_ref().is_err_and(|e| e.is_cancelled()),
        "the task was aborted: its JoinHandle says cancelled\n\n{}",
        timeline.render()
    );
    assert_eq!(
        alarms_of(&alarms),
        ["dropped without close(): 1 unflushed lines lost"],
        "once the aborted task's JoinHandle has answered, the task's future has been \
         dropped where it was waiting, and its locals with it: the log's destructor \
         ran and reported the one line it held. The code after the `.await` never ran, \
         so close() never did\n\n{}",
        timeline.render()
    );
    assert_eq!(
        sink.written(),
        "",
        "and nothing was written\n\n{}",
        timeline.render()
    );
}

/// The three lines the fault tests log after a first flush of `saved`.
const LOST: [&str; 3] = ["alpha", "beta", "gamma"];
const LOST_TEXT: &str = "alpha\nbeta\ngamma\n";

/// Every way the second flush can fail with the kit's sink (4 bytes per write: the first
/// flush, of "saved\n", takes writes 1 and 2 and flush 1; the second wants writes 3 to
/// 7 and flush 2): an error at each of its writes, a write that takes nothing, a failed
/// flush of the sink.
fn failing_sinks() -> Vec<(String, Writer)> {
    let mut sinks = Vec::new();
    for call in 3..=7 {
        sinks.push((
            format!("write {call} of the sink fails (BrokenPipe)"),
            Writer::new()
                .chunks(4)
                .fault_at(call, Fault::Error(io::ErrorKind::BrokenPipe)),
        ));
    }
    sinks.push((
        "write 5 of the sink takes no byte (write_all: WriteZero)".to_string(),
        Writer::new().chunks(4).fault_at(5, Fault::Short(0)),
    ));
    sinks.push((
        "the sink's flush fails, after every byte was written".to_string(),
        Writer::new().chunks(4).flush_fails_at(2),
    ));
    sinks
}

#[tokio::test]
async fn t07_a_failed_flush_keeps_the_lines() {
    for retry in [false, true] {
        for (case, sink) in failing_sinks() {
            let written = sink.written();
            let alarms = Alarms::default();
            let mut log = BufferedLog::new(sink, Arc::clone(&alarms));
            log.log("saved");
            log.flush().await.expect("the first flush meets no fault");
            for line in LOST {
                log.log(line);
            }
            let failed = log.flush().await;
            assert!(
                failed.is_err(),
                "{case}: the second flush must return that error, not Ok"
            );
            if !retry {
                drop(log);
                assert_eq!(
                    alarms_of(&alarms),
                    ["dropped without close(): 3 unflushed lines lost"],
                    "{case}: the flush failed, so the three lines logged after the first \
                     flush are still not safely out, and the log dropped then must count \
                     them all. On an error the lines stay buffered and counted: empty the \
                     buffer and reset the count only once the write and the flush have \
                     both succeeded"
                );
                continue;
            }
            log.flush()
                .await
                .unwrap_or_else(|e| panic!("{case}: a third flush meets no fault, got {e}"));
            let sent = String::from_utf8_lossy(&written.lock().unwrap()).into_owned();
            let again = sent
                .strip_prefix("saved\n")
                .and_then(|rest| rest.strip_suffix(LOST_TEXT));
            assert!(
                again.is_some_and(|part| LOST_TEXT.starts_with(part)),
                "{case}: after the failed flush, a flush that succeeds must write the three \
                 lines, whole: the sink got {sent:?}. (Whatever part of them the sink took \
                 before it failed may reach it twice; none of them may be lost)"
            );
            log.log("delta");
            drop(log);
            assert_eq!(
                alarms_of(&alarms),
                ["dropped without close(): 1 unflushed lines lost"],
                "{case}: the retried flush succeeded, so only the line logged after it is lost"
            );
        }
    }
}

#[tokio::test]
async fn t08_a_close_that_fails_returns_the_error_and_is_reported() {
    let cases = [
        (
            "the sink's shutdown fails (BrokenPipe), after the lines were flushed",
            Writer::new().shutdown_fails(),
            "dropped without close(): 0 unflushed lines lost",
        ),
        (
            "the first write of the sink fails (BrokenPipe)",
            Writer::new().fault_at(1, Fault::Error(io::ErrorKind::BrokenPipe)),
            "dropped without close(): 2 unflushed lines lost",
        ),
        (
            "the sink's flush fails",
            Writer::new().flush_fails_at(1),
            "dropped without close(): 2 unflushed lines lost",
        ),
    ];
    for (case, sink, alarm) in cases {
        let alarms = Alarms::default();
        let mut log = BufferedLog::new(sink, Arc::clone(&alarms));
        log.log("one");
        log.log("two");
        let closed = log.close().await;
        assert!(
            closed.is_err(),
            "{case}: close must return that error, so that the caller sees the close \
             failed: it got Ok"
        );
        assert_eq!(
            alarms_of(&alarms),
            [alarm],
            "{case}: a close that failed is not a successful close, so the log it consumed \
             is dropped with its alarm armed. Disarm the destructor as the last step of \
             close, once every part of it has succeeded"
        );
    }
}

/// What t09's check reads of a run: its alarms, and whether its flush had succeeded.
type RunAlarms = (Alarms, Arc<AtomicBool>);

#[tokio::test(start_paused = true)]
async fn t09_a_flush_or_close_cancelled_at_any_await_keeps_the_lines() {
    // The sink is a pipe that holds 4 bytes, read 4 bytes every 10 ms: the flush waits
    // at its writes, and the test drops it at each of those waits in turn.
    // Each run's alarms, and whether its flush had succeeded when it was dropped.
    let alarms_seen: Arc<Mutex<Option<RunAlarms>>> = Arc::default();
    let make = || {
        let (sink, mut reader) = tokio::io::duplex(4);
        tokio::spawn(async move {
            let mut chunk = [0u8; 4];
            while reader.read(&mut chunk).await.is_ok_and(|n| n > 0) {
                sleep(Duration::from_millis(10)).await;
            }
        });
        let alarms = Alarms::default();
        let flushed = Arc::new(AtomicBool::new(false));
        *alarms_seen.lock().unwrap() = Some((Arc::clone(&alarms), Arc::clone(&flushed)));
        let mut log = BufferedLog::new(sink, alarms);
        for line in LOST {
            log.log(line);
        }
        async move {
            log.flush().await?;
            flushed.store(true, Ordering::SeqCst);
            log.close().await
        }
    };
    let pendings = drop_at_each_await(100, make, |outcome| {
        let (alarms, flushed) = alarms_seen.lock().unwrap().take().expect("made");
        let flushed = flushed.load(Ordering::SeqCst);
        match outcome {
            Outcome::DroppedAfter(n) => assert_eq!(
                alarms_of(&alarms),
                [format!(
                    "dropped without close(): {} unflushed lines lost",
                    if flushed { 0 } else { 3 }
                )],
                "a task flushing then closing the log over a slow pipe was cancelled after \
                 {n} Pending(s), {}: the log was dropped with it, and its alarm must count \
                 the lines not yet flushed. A cancelled flush is a flush that did not \
                 succeed: the lines stay buffered and counted until the write and the \
                 sink's flush are both done",
                if flushed {
                    "after the flush, during the close"
                } else {
                    "in the middle of the flush"
                }
            ),
            Outcome::Finished(_, closed) => {
                closed.expect("the pipe never fails");
                assert_eq!(
                    alarms_of(&alarms),
                    Vec::<String>::new(),
                    "the task that ran to its end closed the log: no alarm"
                );
            }
        }
    })
    .await;
    assert!(
        pendings >= 4,
        "the 18 bytes go through a pipe of 4: the flush must wait for room (it waited \
         {pendings} times)"
    );
}

#[tokio::test]
async fn t10_the_alarm_survives_a_poisoned_lock() {
    let (mut log, _sink, alarms) = setup();
    log.log("lost");
    // Somebody panicked while holding the alarms' lock: it is poisoned.
    let poisoner = Arc::clone(&alarms);
    let _ = std::panic::catch_unwind(move || {
        let _held = poisoner.lock().unwrap();
        std::panic::resume_unwind(Box::new("a panic while holding the alarms"));
    });
    assert!(alarms.is_poisoned(), "the test poisoned the lock");
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(log)));
    assert!(
        dropped.is_ok(),
        "the log's destructor panicked on a poisoned alarms lock: a destructor must not \
         panic (during a panic's unwinding that aborts the process). Take the lock's \
         contents anyway: `lock().unwrap_or_else(PoisonError::into_inner)`"
    );
    let recorded = alarms
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    assert_eq!(
        recorded,
        ["dropped without close(): 1 unflushed lines lost"],
        "and the alarm is recorded all the same: a poisoned lock still holds the list"
    );
}

#[tokio::test]
async fn t11_each_log_call_is_one_line() {
    let (mut log, _sink, alarms) = setup();
    log.log("two\nparts");
    log.log("");
    log.log("three");
    drop(log);
    assert_eq!(
        alarms_of(&alarms),
        ["dropped without close(): 3 unflushed lines lost"],
        "three `log` calls, one with a `\\n` inside and one empty: three lines. The alarm \
         counts the calls, not the newlines in the buffer"
    );
}
