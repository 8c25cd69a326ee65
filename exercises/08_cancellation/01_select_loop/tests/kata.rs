//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `recreates_download_each_turn` (t02): `download(url)` written in the `select!` branch itself: a new download every time round the loop, even while the branch is disabled
//! - `no_else_branch` (t01, t02, t03, t04, t05, t06): no `else`: once everything is done every branch is disabled and `select!` panics
//! - `fuse_without_precondition` (t01, t02, t03, t04, t05, t06): `&mut current` without `, if !current.is_terminated()`: a terminated `Fuse` is Pending forever, `else` is never reached
//! - `breaks_when_channel_closes` (t01, t05): `None => break`: the download in flight and the queue are abandoned when the senders go
//! - `no_backlog_limit` (t04): requests are received however full the queue is
//! - `lifo_queue` (t02, t03): the queue is a `Vec` popped from the back: the latest request goes first
//! - `backlog_counts_the_download` (t06): `queue.len() < backlog` alone: with `backlog == 0` nothing is ever received
//!
//! No verdict depends on `select!`'s random choice: a request and the end of a download
//! never fall on the same instant of virtual time, so at each wake one branch is ready.
//!
//! Mutants: cargo-mutants finds 9 and the tests catch all 9. Inside `select!` it mutates
//! nothing: the fixtures stand in for the hand-made mutants there (each precondition
//! dropped or changed, the `else` left out, the download made in the branch).

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
            async move {
                timeline
                    .run(format!("download({url})"), sleep(DOWNLOAD))
                    .await;
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
