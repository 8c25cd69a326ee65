//! Wrong answers these tests reject:
//! - the loop in the README: `read_line` into a `String` inside `select!`. When the tick
//!   wins mid-line, the dropped `read_line` future takes the half-read bytes with it
//!   (t03); a `String` kept outside the loop does not help, `read_line` is not
//!   cancel-safe (t03)
//! - `read_until` into a buffer that is cleared at the top of every iteration: the
//!   partial line is thrown away (t03)
//! - a new `BufReader` (or `.lines()`) in every iteration: the bytes it read ahead,
//!   the next messages, are dropped with it (t01)
//! - reading lines with no `select!`, or no heartbeat: no ticks (t02)
//! - `tokio::time::interval(period)`: its first tick is immediate, one tick too many (t02)
//! - stopping at the first tick instead of at the end of the stream (t02)
//! - dropping a last line that has no newline, or cutting its last character off as if
//!   it were one (t04)

use std::time::Duration;

use cancel_safety::{Report, relay};
use tokio::io::{AsyncWriteExt, DuplexStream};
use tokio::task::JoinHandle;
use tokio::time::sleep;

const PERIOD: Duration = Duration::from_millis(100);

/// A peer that writes `script` into a duplex pipe: each `Ok(text)` is written at once,
/// each `Err(ms)` waits that long (virtual time). The pipe ends when the script does.
fn peer(script: Vec<Result<&'static str, u64>>) -> (DuplexStream, JoinHandle<()>) {
    let (ours, mut theirs) = tokio::io::duplex(64);
    let task = tokio::spawn(async move {
        for step in script {
            match step {
                Ok(text) => theirs.write_all(text.as_bytes()).await.unwrap(),
                Err(ms) => sleep(Duration::from_millis(ms)).await,
            }
        }
    });
    (ours, task)
}

#[tokio::test(start_paused = true)]
async fn t01_every_message_of_one_write_arrives() {
    let (reader, _peer) = peer(vec![Ok("alpha\nbeta\ngamma\n")]);
    let report = relay(reader, PERIOD).await.expect("the pipe cannot fail");
    assert_eq!(
        report.messages,
        ["alpha", "beta", "gamma"],
        "three messages in one write: all three, in order, without their newlines. A \
         buffered reader reads ahead; drop it (or make a new one each time round the \
         loop) and the messages it holds are gone"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_a_heartbeat_every_period_while_waiting() {
    // messages at 0 ms and 250 ms, then the end: heartbeats due at 100 and 200 ms.
    let (reader, _peer) = peer(vec![Ok("first\n"), Err(250), Ok("second\n")]);
    let report = relay(reader, PERIOD).await.expect("the pipe cannot fail");
    assert_eq!(
        report,
        Report {
            messages: vec!["first".into(), "second".into()],
            ticks: 2,
        },
        "while waiting 250 ms for the second message, relay must send the heartbeats due \
         at 100 and 200 ms (not one at 0 ms: `interval` ticks at once, `interval_at` \
         does not) and go on reading until the stream ends"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_a_message_cut_by_a_heartbeat_arrives_whole() {
    // "hel" at 0 ms, "lo\n" at 150 ms: the heartbeat at 100 ms comes mid-message.
    let (reader, _peer) = peer(vec![Ok("hel"), Err(150), Ok("lo\nworld\n")]);
    let report = relay(reader, PERIOD).await.expect("the pipe cannot fail");
    assert_eq!(
        report.messages,
        ["hello", "world"],
        "\"hello\" arrived in two parts with a heartbeat between them. When select! \
         picks the heartbeat it drops the read future, and whatever that future had \
         already read is lost unless the read is cancel-safe: keep partial data outside \
         the dropped future (Lines::next_line does), or keep one future across loop \
         iterations"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_a_last_message_needs_no_newline() {
    let (reader, _peer) = peer(vec![Ok("one\nlast")]);
    let report = relay(reader, PERIOD).await.expect("the pipe cannot fail");
    assert_eq!(
        report.messages,
        ["one", "last"],
        "the stream ended after \"last\" without a newline: it is still a message (and \
         a newline is removed only where there is one)"
    );
}
