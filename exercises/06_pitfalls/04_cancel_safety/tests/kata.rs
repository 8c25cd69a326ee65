//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `read_line_in_select` (t03): the README's loop, `read_line` into a fresh `String` inside `select!`: a tick mid-line drops the half-read line
//! - `read_line_string_outside_loop` (t03): `read_line` into a `String` kept outside the loop: `read_line` is still not cancel-safe
//! - `read_until_cleared_each_turn` (t03): `read_until` into a buffer made anew every iteration: the partial line is thrown away after a tick
//! - `lines_per_turn` (t03): a new `Lines` over the one `BufReader` every iteration: the partial line it keeps is dropped with it
//! - `bufreader_per_turn` (t01): a new `BufReader` every iteration: the messages it read ahead are dropped with it
//! - `local_buffer_in_async_block` (t03): an `async` block gathers a message in a local `Vec`, which a tick drops with the block
//! - `decodes_each_read` (t04): each `read` is decoded to text as it arrives: a character split between two reads is garbled
//! - `drops_unterminated_last_line` (t05): a last line without a newline is dropped
//! - `trims_messages` (t06): messages are `trim()`med, which takes their own spaces off
//! - `interval_ticks_at_once` (t02): `time::interval(period)` ticks at once: one heartbeat too many
//! - `sleep_per_turn` (t07): a `sleep(period)` made anew every iteration: each message restarts it, a steady stream gets no heartbeat
//! - `default_burst` (t08): `interval_at` with the default `MissedTickBehavior::Burst`: after a stall every missed heartbeat goes out at once
//!
//! Blind answers: 7 tried, 0 passed before this test file (2026-12). One (`select!` with an `else` that a live heartbeat never
//! reaches) hangs until the runner's time limit. The lesson now says what it left open:
//! a `\r\n` ending loses its `\r` (t09), a line that is not UTF-8 or a failed read ends
//! `relay` with the error (t10, the fault kit's `Reader`), `Delay` or `Skip` both pass;
//! t11 cuts generated messages at any points and times.
//!
//! No verdict depends on `select!`'s random choice: in every script the peer's writes
//! and the heartbeats never fall on the same instant of virtual time, and the stall in
//! t08 starts only once relay has read what came before it, so at each wake only one
//! branch is ready (`cargo xtask verify` runs every fixture twice and compares).
//!
//! Mutants: cargo-mutants finds none that survive. Inside `select!` it mutates nothing,
//! so the fixtures stand in for the hand-made mutants there: `interval` for
//! `interval_at`, no `set_missed_tick_behavior`, the read future or its buffer made
//! anew each time round.

use std::time::Duration;

use cancel_safety::{Report, relay};
use timeline::Timeline;
use tokio::io::{AsyncWriteExt, DuplexStream};
use tokio::task::JoinHandle;
use tokio::time::sleep;

const PERIOD: Duration = Duration::from_millis(100);

/// One step of the peer's script.
enum Step {
    /// Write these bytes at once.
    Write(&'static [u8]),
    /// Wait this many ms of virtual time.
    Wait(u64),
    /// Move the clock on this many ms at once, as if relay's thread had been blocked
    /// that long: every timer due meanwhile fires late, all together.
    Stall(u64),
}

use Step::{Stall, Wait, Write};

/// A peer that plays `script` into a duplex pipe, in virtual time. The pipe ends when
/// the script does.
/// Each write is drawn on `timeline`, one row per write, labelled with its bytes.
fn peer(timeline: &Timeline, script: Vec<Step>) -> (DuplexStream, JoinHandle<()>) {
    let (ours, mut theirs) = tokio::io::duplex(64);
    let timeline = timeline.clone();
    let task = tokio::spawn(async move {
        for step in script {
            match step {
                Write(bytes) => {
                    let label = format!("write {:?}", String::from_utf8_lossy(bytes));
                    timeline.run(label, theirs.write_all(bytes)).await.unwrap();
                }
                Wait(ms) => sleep(Duration::from_millis(ms)).await,
                Stall(ms) => tokio::time::advance(Duration::from_millis(ms)).await,
            }
        }
    });
    (ours, task)
}

async fn run(timeline: &Timeline, script: Vec<Step>) -> Report {
    let (reader, _peer) = peer(timeline, script);
    match relay(reader, PERIOD).await {
        Ok(report) => report,
        Err(error) => panic!(
            "relay returned Err({error}), and the pipe cannot fail: the error came from \
             relay's own reading. Invalid UTF-8 means a line's bytes were decoded \
             without all of them: some were lost when a read was cancelled, or decoded \
             before the line was whole"
        ),
    }
}

#[tokio::test(start_paused = true)]
async fn t01_every_message_of_one_write_arrives() {
    let timeline = Timeline::new();
    let report = run(&timeline, vec![Write(b"alpha\nbeta\ngamma\n")]).await;
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
    let timeline = Timeline::new();
    timeline.expect("heartbeats at 100 and 200 ms, between the two writes");
    let report = run(
        &timeline,
        vec![Write(b"first\n"), Wait(250), Write(b"second\n")],
    )
    .await;
    assert_eq!(
        report,
        Report {
            messages: vec!["first".into(), "second".into()],
            ticks: 2,
        },
        "while waiting 250 ms for the second message, relay must send the heartbeats due \
         at 100 and 200 ms (not one at 0 ms: `interval` ticks at once, `interval_at` \
         does not) and go on reading until the stream ends\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_a_message_cut_by_a_heartbeat_arrives_whole() {
    // "hel" at 0 ms, "lo\n" at 150 ms: the heartbeat at 100 ms comes mid-message; then
    // "wor" at 150 ms and "ld\n" at 250 ms, across the heartbeat at 200 ms.
    let timeline = Timeline::new();
    timeline.expect("the heartbeats at 100 and 200 ms fall between the parts of hello and of world: each still arrives whole");
    let report = run(
        &timeline,
        vec![
            Write(b"hel"),
            Wait(150),
            Write(b"lo\nwor"),
            Wait(100),
            Write(b"ld\n"),
        ],
    )
    .await;
    assert_eq!(
        report.messages,
        ["hello", "world"],
        "\"hello\" and \"world\" each arrived in two parts with a heartbeat between \
         them. When select! picks the heartbeat it drops the read future, and whatever \
         that future (or a buffer made anew each time round the loop) had already read \
         is lost unless the read is cancel-safe: keep partial data in something that \
         lives across iterations (a `Lines` made once before the loop does), or keep \
         one read future across iterations\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_a_message_cut_inside_a_character_arrives_whole() {
    // "grüße": the two bytes of "ü" arrive 150 ms apart, a heartbeat between them.
    let timeline = Timeline::new();
    let report = run(
        &timeline,
        vec![Write(b"gr\xC3"), Wait(150), Write(b"\xBC\xC3\x9Fe\n")],
    )
    .await;
    assert_eq!(
        report.messages,
        ["grüße"],
        "the message arrived in two reads that split the two bytes of \"ü\": bytes are \
         not text until the line is whole. Decoding each read on its own garbles a \
         character cut in two; keep bytes until the newline, then decode the line\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_last_message_needs_no_newline() {
    let timeline = Timeline::new();
    let report = run(&timeline, vec![Write(b"one\nlast")]).await;
    assert_eq!(
        report.messages,
        ["one", "last"],
        "the stream ended after \"last\" without a newline: it is still a message (and \
         a newline is removed only where there is one)"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_message_keeps_its_own_spaces() {
    let timeline = Timeline::new();
    let report = run(&timeline, vec![Write(b"  indented\ntrailing  \n")]).await;
    assert_eq!(
        report.messages,
        ["  indented", "trailing  "],
        "a message is its line without the newline, nothing more taken off: trim() \
         removes the message's own spaces too"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_heartbeats_keep_their_pace_while_messages_flow() {
    // A message every 60 ms from 0 to 240 ms: heartbeats still due at 100 and 200 ms.
    let timeline = Timeline::new();
    let report = run(
        &timeline,
        vec![
            Write(b"m1\n"),
            Wait(60),
            Write(b"m2\n"),
            Wait(60),
            Write(b"m3\n"),
            Wait(60),
            Write(b"m4\n"),
            Wait(60),
            Write(b"m5\n"),
        ],
    )
    .await;
    assert_eq!(
        report.messages,
        ["m1", "m2", "m3", "m4", "m5"],
        "every message arrives\n\n{}",
        timeline.render()
    );
    assert_eq!(
        report.ticks,
        2,
        "messages came every 60 ms for 240 ms, and the heartbeats were due at 100 and \
         200 ms all the same: a heartbeat every period, not a period after the last \
         message. A timer made anew each time round the loop (`sleep(period)` in the \
         select!) starts over with every message and never fires while they flow; one \
         `Interval`, made before the loop, keeps the pace\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_after_a_stall_one_heartbeat_not_a_burst() {
    // At 10 ms (relay has read "before" by then) the clock jumps to 350 ms in one go, as
    // if relay's thread had been blocked: the heartbeats due at 100, 200 and 300 ms were
    // missed. The stream ends at 360 ms. (Writing "before" just ahead of the jump would
    // make it and the overdue heartbeat ready at once: a select! tie.)
    let timeline = Timeline::new();
    let report = run(
        &timeline,
        vec![
            Write(b"before\n"),
            Wait(10),
            Stall(340),
            Wait(10),
            Write(b"after\n"),
        ],
    )
    .await;
    assert_eq!(
        report.messages,
        ["before", "after"],
        "every message arrives\n\n{}",
        timeline.render()
    );
    assert_eq!(
        report.ticks,
        1,
        "relay could not run from 10 to 350 ms and missed three heartbeats; at 350 ms it \
         must send one, late, and then keep the period (none before the end at 360 ms). \
         An Interval's default MissedTickBehavior::Burst fires every missed tick at once \
         to catch up, {} beats in a row here: a heartbeat wants Delay or Skip \
         (set_missed_tick_behavior)\n\n{}",
        report.ticks,
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t09_a_crlf_line_ending_goes_whole_even_cut_by_a_heartbeat() {
    // `\r\n` endings, one of them cut between its `\r` and its `\n` by a heartbeat.
    let timeline = Timeline::new();
    let report = run(
        &timeline,
        vec![
            Write(b"one\r\n"),
            Wait(150),
            Write(b"two\r"),
            Wait(100),
            Write(b"\nthree\r\n"),
        ],
    )
    .await;
    assert_eq!(
        report.messages,
        ["one", "two", "three"],
        "a message is its line without its line ending: `\\n`, or `\\r\\n` (the `\\r` goes \
         too), even when a heartbeat falls between the `\\r` and the `\\n`\n\n{}",
        timeline.render()
    );
    assert_eq!(
        report.ticks,
        2,
        "heartbeats at 100 and 200 ms\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t10_bytes_that_are_not_utf8_and_a_failing_reader_end_relay_with_an_error() {
    use timeline::faults::io::Reader;
    let reader = Reader::new(&b"fine\n\xff\xfeoops\nlater\n"[..]).chunks(3);
    let result = relay(reader, PERIOD).await;
    assert_eq!(
        result.map_err(|e| e.kind()),
        Err(std::io::ErrorKind::InvalidData),
        "a line that is not UTF-8 is not a message: relay ends with an InvalidData error \
         (what next_line returns), it does not replace the bytes or skip the line"
    );
    let reader = Reader::new(&b"fine\nthen the line bre"[..])
        .chunks(4)
        .failing_from(4, std::io::ErrorKind::ConnectionReset);
    let result = relay(reader, PERIOD).await;
    assert_eq!(
        result.map_err(|e| e.kind()),
        Err(std::io::ErrorKind::ConnectionReset),
        "the reader failed at its 4th read (connection reset): relay ends with that error \
         (`?`), it does not take it for the end of the stream"
    );
}

#[test]
fn t11_any_messages_cut_anywhere_arrive_whole() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    // Messages of any characters but line endings (multi-byte ones too), `\n` or `\r\n`
    // after each, the bytes cut into writes at any points, any wait between writes.
    let message = proptest::collection::vec(
        any::<char>().prop_filter("no line ending", |c| *c != '\n' && *c != '\r'),
        0..6,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>());
    let cases = (
        proptest::collection::vec((message, any::<bool>()), 0..5),
        proptest::collection::vec((1usize..8, 1u64..250), 1..12),
    );
    TestRunner::new(Config {
        cases: 150,
        rng_seed: RngSeed::Fixed(0x0604),
        failure_persistence: None,
        ..Config::default()
    })
    .run(&cases, |(messages, cuts)| {
        let mut bytes = Vec::new();
        for (message, crlf) in &messages {
            bytes.extend_from_slice(message.as_bytes());
            bytes.extend_from_slice(if *crlf { b"\r\n" } else { b"\n" });
        }
        // Writes of the given sizes, each after its wait; the rest in one last write.
        let mut writes: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut at = 0;
        for &(size, wait) in &cuts {
            let end = (at + size).min(bytes.len());
            writes.push((wait, bytes[at..end].to_vec()));
            at = end;
        }
        writes.push((0, bytes[at..].to_vec()));
        let total: u64 = writes.iter().map(|(wait, _)| wait).sum();
        let (result, timeline) = runtime.block_on(async {
            let timeline = Timeline::new();
            let (ours, mut theirs) = tokio::io::duplex(64);
            let peer = {
                let timeline = timeline.clone();
                let writes = writes.clone();
                tokio::spawn(async move {
                    for (i, (wait, chunk)) in writes.into_iter().enumerate() {
                        sleep(Duration::from_millis(wait)).await;
                        timeline
                            .run(format!("write {i}"), theirs.write_all(&chunk))
                            .await
                            .unwrap();
                    }
                })
            };
            let result = tokio::time::timeout(Duration::from_secs(3600), relay(ours, PERIOD))
                .await
                .map_err(|_| "relay did not end within an hour after the stream ended".to_string());
            drop(peer);
            (result, timeline)
        });
        let want: Vec<String> = messages.iter().map(|(m, _)| m.clone()).collect();
        let report = result
            .map_err(TestCaseError::fail)?
            .map_err(|e| TestCaseError::fail(format!("relay returned Err({e})")))?;
        prop_assert_eq!(
            &report.messages,
            &want,
            "bytes {:?} written in pieces (waits and sizes {:?}): every message arrives \
             whole, in order, without its line ending\n\n{}",
            String::from_utf8_lossy(&bytes),
            cuts,
            timeline.render()
        );
        // A heartbeat every 100 ms until the stream ends; at the very instant it ends,
        // the tick and the end tie.
        let ticks = u64::from(report.ticks);
        prop_assert!(
            ticks == total / 100 || (total.is_multiple_of(100) && ticks + 1 == total / 100),
            "the stream ended at {} ms: one heartbeat every 100 ms until then, {} of them, \
             however the messages were cut; got {}\n\n{}",
            total,
            total / 100,
            ticks,
            timeline.render()
        );
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
