//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `recreates_download_each_turn` (t02, t07): `download(url)` written in the `select!` branch itself: a new download every time round the loop, even while the branch is disabled
//! - `no_else_branch` (t01, t02, t03, t04, t05, t06, t07): no `else`: once everything is done every branch is disabled and `select!` panics
//! - `fuse_without_precondition` (t01, t02, t03, t04, t05, t06, t07): `&mut current` without `, if !current.is_terminated()`: a terminated `Fuse` is Pending forever, `else` is never reached
//! - `breaks_when_channel_closes` (t01, t05, t07): `None => break`: the download in flight and the queue are abandoned when the senders go
//! - `no_backlog_limit` (t04, t07): requests are received however full the queue is
//! - `lifo_queue` (t02, t03, t07): the queue is a `Vec` popped from the back: the latest request goes first
//! - `backlog_counts_the_download` (t06, t07): `queue.len() < backlog` alone: with `backlog == 0` nothing is ever received
//! - `download_called_on_receive` (t02, t07): each request's download future made when the request is received, and queued: `download` is called before the download's turn
//! - `in_flight_counts_toward_backlog` (t04, t07): the download in flight counted as one of the `backlog`: one request fewer waits than allowed
//!
//! Blind answers: 8 tried, 0 passed before this test file (2026-12); two of the
//! rejected ones are kept above (`download_called_on_receive`, `in_flight_counts_toward_backlog`).
//! t07 plays generated schedules (sends and waits, bursts past the channel and the
//! backlog, backlogs of 0 to 3 and `usize::MAX`) with downloads of unequal times, some
//! ready at their first poll, against a model of the lesson's rules.
//!
//! No verdict depends on `select!`'s random choice: a request and the end of a download
//! never fall on the same instant of virtual time (t07 moves a client's wait off such an
//! instant), so at each wake one branch is ready. A download ready at its first poll
//! can make both branches ready at once, and then either order gives the same calls,
//! sends and result at that instant.
//!
//! Mutants: cargo-mutants finds 9 and the tests catch all 9. Inside `select!` it mutates
//! nothing: the fixtures stand in for the hand-made mutants there (each precondition
//! dropped or changed, the `else` left out, the download made in the branch).

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use select_loop::serve;
use timeline::Timeline;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};

/// Every download takes this long, in virtual time.
const DOWNLOAD: Duration = Duration::from_millis(100);

/// One step of the clients' script.
#[derive(Clone, Copy)]
enum Step {
    /// Send this url (waits while the channel is full).
    Send(&'static str),
    /// Wait this many ms of virtual time.
    Wait(u64),
}

use Step::{Send, Wait};

/// What a run of `serve` did, in virtual ms since the start.
struct Run {
    /// What `serve` returned.
    finished: Vec<(String, usize)>,
    /// Every call of `download`: the url and when.
    started: Vec<(String, u64)>,
    /// For each `Send` step: when the send completed (the channel took the url).
    sent: Vec<(String, u64)>,
    /// When `serve` returned.
    returned: u64,
    /// Each send (from its call until the channel took the url) and each download (from
    /// its first poll until it ended, or was dropped: cut off).
    timeline: Timeline,
}

fn ms(since: Instant) -> u64 {
    since.elapsed().as_millis() as u64
}

fn owned(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
    pairs.iter().map(|&(s, t)| (s.to_string(), t)).collect()
}

/// What `download` returns for a url.
fn size(url: &str) -> usize {
    url.len() * 10
}

fn done(urls: &[&str]) -> Vec<(String, usize)> {
    urls.iter()
        .map(|url| (url.to_string(), size(url)))
        .collect()
}

/// Plays `script` into a channel of `capacity` (then drops the sender) while `serve`
/// runs with `backlog`. Every download takes `DOWNLOAD`. `expected` is the shape the
/// timeline names as right.
async fn run(capacity: usize, backlog: usize, script: Vec<Step>, expected: &str) -> Run {
    run_timed(capacity, backlog, script, |_| DOWNLOAD, expected).await
}

/// [`run`], with the download of each url taking `took(url)`: zero is a download ready
/// at its first poll.
async fn run_timed(
    capacity: usize,
    backlog: usize,
    script: Vec<Step>,
    took: impl Fn(&str) -> Duration + 'static,
    expected: &str,
) -> Run {
    let start = Instant::now();
    let timeline = Timeline::new();
    timeline.expect(expected);
    let (tx, rx) = mpsc::channel(capacity);
    let sent = Arc::new(Mutex::new(Vec::new()));
    let clients = tokio::spawn({
        let sent = Arc::clone(&sent);
        let timeline = timeline.clone();
        async move {
            for step in script {
                match step {
                    Send(url) => {
                        // serve may have returned early (a bug a test reports): then
                        // the send fails, the script stops, and the send shows cut off.
                        let sending = timeline.start(format!("send({url})"));
                        if tx.send(url.to_string()).await.is_err() {
                            return;
                        }
                        sending.end();
                        sent.lock().unwrap().push((url.to_string(), ms(start)));
                    }
                    Wait(n) => sleep(Duration::from_millis(n)).await,
                }
            }
        }
    });
    let started = Arc::new(Mutex::new(Vec::new()));
    let downloads = {
        let started = Arc::clone(&started);
        let timeline = timeline.clone();
        move |url: String| {
            started.lock().unwrap().push((url.clone(), ms(start)));
            let timeline = timeline.clone();
            let took = took(&url);
            async move {
                let label = format!("download({url})");
                if took.is_zero() {
                    // Ready at its first poll: no timer, no `Pending`.
                    timeline.start(label).end();
                } else {
                    timeline.run(label, sleep(took)).await;
                }
                size(&url)
            }
        }
    };
    let serving = AssertUnwindSafe(serve(rx, backlog, downloads)).catch_unwind();
    let finished = match tokio::time::timeout(Duration::from_secs(3600), serving).await {
        Err(_) => panic!(
            "serve did not return within an hour of virtual time, with every download \
             long done: once a `Fuse` has finished (or was never started) it is Pending \
             forever, so `select!` waits on it for ever instead of reaching `else`. \
             Disable that branch with `, if !fut.is_terminated()`\n\n{}",
            timeline.render()
        ),
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if !message.contains("all branches are disabled") {
                // Some other panic (a `todo!()`, say): it speaks for itself.
                std::panic::resume_unwind(panic);
            }
            panic!(
                "serve panicked: {message:?}. When the channel is closed and no download \
                 runs, every branch of the `select!` is disabled (a pattern that does not \
                 match, a precondition that is false); `select!` then runs its `else` \
                 branch, and without one it panics\n\n{}",
                timeline.render()
            )
        }
        Ok(Ok(finished)) => finished,
    };
    let returned = ms(start);
    clients.await.expect("the clients' task does not panic");
    let started = started.lock().unwrap().clone();
    let sent = sent.lock().unwrap().clone();
    Run {
        finished,
        started,
        sent,
        returned,
        timeline,
    }
}

#[tokio::test(start_paused = true)]
async fn t01_one_request_is_downloaded_then_serve_returns() {
    let run = run(
        8,
        4,
        vec![Send("a")],
        "download(a) from 0 ms to 100 ms, then serve returns",
    )
    .await;
    assert_eq!(
        run.finished,
        done(&["a"]),
        "one request for \"a\", then the sender was dropped: serve must still finish \
         that download and return it. A closed channel means no more requests, not \
         \"stop now\"\n\n{}",
        run.timeline.render()
    );
    assert_eq!(
        run.returned,
        100,
        "the download took 100 ms: serve returns as soon as it is done and nothing else \
         is left (the `else` branch)\n\n{}",
        run.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_requests_arriving_do_not_restart_the_download() {
    let run = run(
        8,
        4,
        vec![Send("a"), Wait(30), Send("b"), Wait(30), Send("c")],
        "each download started once and never cut off: a, b, c one after the other, 300 ms",
    )
    .await;
    assert_eq!(
        run.started,
        owned(&[("a", 0), ("b", 100), ("c", 200)]),
        "each download must be created once, when it starts: \"a\" at 0 ms, then \"b\" \
         when \"a\" is done, then \"c\". A `select!` branch `x = download(url)` calls \
         `download` every time round the loop (even when its `, if` is false: the \
         expression is evaluated, only not polled), so every request received starts \
         it over. Create the download once, pin it, and select on `&mut fut`\n\n{}",
        run.timeline.render()
    );
    assert_eq!(
        (run.finished, run.returned),
        (done(&["a", "b", "c"]), 300),
        "three downloads of 100 ms, one after the other, none restarted: done at 300 ms\n\n{}",
        run.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_waiting_requests_start_in_the_order_they_came() {
    let run = run(
        8,
        4,
        vec![Send("a"), Send("b"), Send("c"), Send("d")],
        "download(a), (b), (c), (d) one after the other, in that order",
    )
    .await;
    assert_eq!(
        run.finished,
        done(&["a", "b", "c", "d"]),
        "\"b\", \"c\" and \"d\" came while \"a\" was downloading: they wait in a queue \
         and go first come, first served (a `VecDeque`: push_back, pop_front)\n\n{}",
        run.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_a_full_backlog_stops_receiving() {
    // capacity 1, backlog 1: "a" downloads, "b" waits in the queue, "c" in the channel;
    // "d" can only be sent once serve takes "c", when "a" is done at 100 ms.
    let run = run(
        1,
        1,
        vec![Send("a"), Send("b"), Send("c"), Send("d")],
        "send(d) waits from 0 ms to 100 ms: the backlog is full until download(a) ends",
    )
    .await;
    assert_eq!(
        run.sent,
        owned(&[("a", 0), ("b", 0), ("c", 0), ("d", 100)]),
        "with a backlog of 1, serve holds one download and one waiting request; it must \
         stop receiving while its queue is full, so \"c\" stays in the channel and the \
         sender of \"d\" waits until 100 ms. A `, if queue.len() < backlog` precondition \
         on the receiving branch is that backpressure; without it the queue grows \
         without bound\n\n{}",
        run.timeline.render()
    );
    assert_eq!(
        run.finished,
        done(&["a", "b", "c", "d"]),
        "and every request is served, in order\n\n{}",
        run.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_closing_the_channel_lets_the_work_finish() {
    let run = run(
        8,
        4,
        vec![Send("a"), Send("b"), Wait(50)],
        "download(a) 0 to 100 ms, download(b) 100 to 200 ms, after the senders went at 50 ms",
    )
    .await;
    assert_eq!(
        (run.finished, run.returned),
        (done(&["a", "b"]), 200),
        "the senders were dropped at 50 ms, while \"a\" was downloading and \"b\" \
         waiting: serve must finish both (at 100 and 200 ms) and only then return. \
         `None` from `recv` ends the receiving, not the work\n\n{}",
        run.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_with_no_backlog_one_request_at_a_time() {
    // capacity 1, backlog 0: "b" waits in the channel while "a" downloads, and "c"
    // can only be sent once serve takes "b".
    let run = run(
        1,
        0,
        vec![Send("a"), Send("b"), Send("c")],
        "send(c) waits from 0 ms to 100 ms, until serve takes b",
    )
    .await;
    assert_eq!(
        run.finished,
        done(&["a", "b", "c"]),
        "backlog 0 means no request waits inside serve, not that none is served: when \
         no download runs, serve receives the next request and starts it\n\n{}",
        run.timeline.render()
    );
    assert_eq!(
        run.sent,
        owned(&[("a", 0), ("b", 0), ("c", 100)]),
        "while \"a\" downloads serve receives nothing, so \"c\" is sent only at 100 ms\n\n{}",
        run.timeline.render()
    );
}

/// The urls a generated script sends, in order.
const URLS: [&str; 10] = ["u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"];

/// What `serve` does with a script, in virtual ms: each call of `download`, each send
/// completed, the downloads finished, and when it returned.
#[derive(Debug, Default, PartialEq)]
struct Observed {
    started: Vec<(String, u64)>,
    sent: Vec<(String, u64)>,
    finished: Vec<String>,
    returned: u64,
}

/// The lesson's rules played out one instant at a time, with nothing of `select!` in
/// them: the clients send (waiting while the channel is full), a download that is done
/// makes room for the next in the queue, and `serve` receives while it has room (idle,
/// or fewer than `backlog` waiting). `took(url)` is each download's time, 0 for one
/// ready at its first poll.
///
/// `Err(i)`: the clients' wait at step `i` ends at the very instant a download does.
/// Which of the two `serve` sees first would be `select!`'s coin toss, so the test moves
/// that wait off the instant.
fn model(
    capacity: usize,
    backlog: usize,
    script: &[Step],
    took: impl Fn(&str) -> u64,
) -> Result<Observed, usize> {
    let mut expected = Observed::default();
    let mut now = 0;
    let mut channel = VecDeque::new();
    let mut queue = VecDeque::new();
    // The download in flight, and when it ends.
    let mut current: Option<(&'static str, u64)> = None;
    // The clients' next step, and when their wait (the step before it) ends.
    let mut next = 0;
    let mut asleep: Option<(u64, usize)> = None;
    let start = |url: &'static str, now: u64, expected: &mut Observed| {
        expected.started.push((url.to_string(), now));
        Some((url, now + took(url)))
    };
    loop {
        // Everything that happens at `now`, until nothing more does.
        loop {
            let mut moved = false;
            if asleep.is_some_and(|(until, _)| until == now) {
                asleep = None;
            }
            while asleep.is_none() && next < script.len() {
                match script[next] {
                    Step::Send(url) if channel.len() < capacity => {
                        channel.push_back(url);
                        expected.sent.push((url.to_string(), now));
                    }
                    Step::Send(_) => break,
                    Step::Wait(n) => asleep = Some((now + n, next)),
                }
                next += 1;
                moved = true;
            }
            if let Some((url, end)) = current
                && end == now
            {
                expected.finished.push(url.to_string());
                current = None;
                if let Some(url) = queue.pop_front() {
                    current = start(url, now, &mut expected);
                }
                moved = true;
            }
            let room = current.is_none() || queue.len() < backlog;
            if room && let Some(url) = channel.pop_front() {
                if current.is_none() {
                    current = start(url, now, &mut expected);
                } else {
                    queue.push_back(url);
                }
                moved = true;
            }
            if !moved {
                break;
            }
        }
        let senders_gone = next == script.len() && asleep.is_none();
        if senders_gone && channel.is_empty() && current.is_none() {
            expected.returned = now;
            return Ok(expected);
        }
        now = match (current, asleep) {
            (Some((_, end)), Some((wake, step))) if end == wake => return Err(step),
            (Some((_, end)), Some((wake, _))) => end.min(wake),
            (Some((_, end)), None) => end,
            (None, Some((wake, _))) => wake,
            (None, None) => {
                unreachable!("the clients wait on a full channel only while serve has work")
            }
        };
    }
}

/// A script in the lesson's words: `send(u0), wait 30 ms, send(u1)`.
fn describe(script: &[Step], took: impl Fn(&str) -> u64) -> String {
    script
        .iter()
        .map(|step| match *step {
            Step::Send(url) => match took(url) {
                0 => format!("send({url}: download ready at once)"),
                ms => format!("send({url}: download of {ms} ms)"),
            },
            Step::Wait(ms) => format!("wait {ms} ms"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn t07_any_schedule_of_requests_and_download_times() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    // A send, or a wait of 1 to 300 ms; downloads of 1 to 250 ms, or ready at their
    // first poll; channels of 1 to 3, backlogs of 0 to 3 and usize::MAX.
    let steps =
        proptest::collection::vec(prop_oneof![Just(None), (1u64..=300).prop_map(Some)], 1..=14);
    let took = proptest::collection::vec(prop_oneof![1 => Just(0u64), 4 => 1u64..=250], URLS.len());
    let backlog = prop_oneof![4 => 0usize..=3, 1 => Just(usize::MAX)];
    TestRunner::new(Config {
        cases: 200,
        rng_seed: RngSeed::Fixed(0x0801),
        failure_persistence: None,
        ..Config::default()
    })
    .run(&(steps, took, 1usize..=3, backlog), |(steps, took, capacity, backlog)| {
        let mut urls = URLS.iter();
        let mut script: Vec<Step> = steps
            .iter()
            .filter_map(|step| match step {
                None => urls.next().map(|url| Send(url)),
                Some(ms) => Some(Wait(*ms)),
            })
            .collect();
        let took_ms = |url: &str| took[URLS.iter().position(|u| *u == url).unwrap()];
        let expected = loop {
            match model(capacity, backlog, &script, took_ms) {
                Ok(expected) => break expected,
                Err(step) => match &mut script[step] {
                    Wait(ms) => *ms += 1,
                    Send(_) => unreachable!("only a wait ends at an instant of its own"),
                },
            }
        };
        let case = format!(
            "a channel of {capacity}, a backlog of {}, the clients: {}, then the senders \
             are dropped",
            if backlog == usize::MAX { "usize::MAX".to_string() } else { backlog.to_string() },
            describe(&script, took_ms)
        );
        let durations = took.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        let run = runtime.block_on(run_timed(
            capacity,
            backlog,
            script,
            move |url| {
                Duration::from_millis(durations[URLS.iter().position(|u| *u == url).unwrap()])
            },
            "one download at a time, first come first served, each started when the one before it ends",
        ));
        let got = Observed {
            started: run.started,
            sent: run.sent,
            finished: run.finished.into_iter().map(|(url, _)| url).collect(),
            returned: run.returned,
        };
        prop_assert!(
            got == expected,
            "{}: `download` is called once per url, when its download starts; one runs at \
             a time, the others wait first come first served and start when the one before \
             them ends; serve receives only while it is idle or fewer than `backlog` wait \
             (the clients' sends wait meanwhile), and once the senders are gone it finishes \
             every download and returns. `started` is each call of `download` and when, \
             `sent` when each send completed, in virtual ms\n      serve did: {:?}\nthe lesson \
             asks: {:?}\n\n{}",
            case,
            got,
            expected,
            run.timeline.render()
        );
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
