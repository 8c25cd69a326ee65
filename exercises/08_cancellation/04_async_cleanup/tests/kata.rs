//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `single_write` (t01): one `write` call for the buffer: a sink that takes a few bytes at a time gets only the start
//! - `no_sink_flush` (t01): the bytes are written but the sink itself is never flushed
//! - `keeps_buffer_after_flush` (t02): the buffer is not cleared after a flush: the next flush writes every line again
//! - `close_without_shutdown` (t03): `close` flushes but never shuts the sink down
//! - `close_not_disarming` (t03): `close` works, but the destructor raises its alarm all the same
//! - `counts_every_line` (t04): the alarm counts every line ever logged, the flushed ones too
//! - `alarm_only_when_lines_lost` (t05): no alarm when nothing was buffered: a skipped `close` goes unreported
//! - `no_drop_impl` (t04, t05, t06): no destructor: a log dropped without `close` loses its lines in silence
//!
//! Mutants: cargo-mutants finds 7 and the tests catch all 7.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use async_cleanup::{Alarms, BufferedLog};
use timeline::Timeline;
use tokio::io::AsyncWrite;
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
