//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `heartbeat_checks_between_beats` (t02): `is_cancelled()` after each `sleep(period)`: a cancel mid-period is seen only at the next beat
//! - `crawl_checks_between_pages` (t05): `is_cancelled()` before each page: the page in flight is finished instead of dropped
//! - `crawl_checks_after_each_page` (t06): fetch, then check: a token cancelled before the start still fetches a page
//! - `team_clones_the_parent` (t08): `parent.clone()` for the team's token: stopping one team cancels the parent and every sibling
//! - `team_with_a_fresh_token` (t09, t10): `CancellationToken::new()` for the team: cancelling the parent does not reach it
//! - `stop_does_not_wait` (t07): `stop` cancels and returns: the workers are still running when it does
//! - `join_ignores_errors` (t11): `while let Some(_) = join_next()`: a worker's panic is lost
//! - `heartbeat_bursts_after_a_stall` (t12): `interval_at` with the default `MissedTickBehavior::Burst`: after a stall every missed beat goes out at once
//!
//! No verdict depends on `select!`'s random choice: no cancellation falls on the instant
//! of a beat or of the end of a page. So the solution's `biased;` (a cancellation beats a
//! beat due at the same instant) is not required of the learner, and no fixture drops it.
//!
//! Mutants: cargo-mutants finds none that survive (6 caught, 2 unviable).

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use cancellation_tokens::{Crawl, Team, crawl, heartbeat};
use futures::FutureExt;
use timeline::Timeline;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

const PERIOD: Duration = Duration::from_millis(100);

/// Cancels `token` after `ms` of virtual time, from a task of its own, and marks the
/// moment on `timeline`.
fn cancel_after(token: &CancellationToken, ms: u64, timeline: &Timeline) {
    let token = token.clone();
    let timeline = timeline.clone();
    tokio::spawn(async move {
        sleep(Duration::from_millis(ms)).await;
        timeline.start("cancel()").end();
        token.cancel();
    });
}

/// Virtual ms since `start`.
fn ms(start: Instant) -> u64 {
    start.elapsed().as_millis() as u64
}

/// Sets its flag when dropped: proves a future was dropped (or a task ended).
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Waits for `future` for up to an hour of virtual time; `None` if it never finished.
async fn within_an_hour<T>(future: impl Future<Output = T>) -> Option<T> {
    tokio::time::timeout(Duration::from_secs(3600), future)
        .await
        .ok()
}

// ---- heartbeat: `cancelled()` in `select!` ----

#[tokio::test(start_paused = true)]
async fn t01_heartbeat_beats_every_period_until_cancelled() {
    let token = CancellationToken::new();
    let beats = Arc::new(AtomicU32::new(0));
    let timeline = Timeline::new();
    timeline.expect("heartbeat from 0 ms to the cancel() at 350 ms");
    cancel_after(&token, 350, &timeline);
    let start = Instant::now();
    let beating = heartbeat(token, PERIOD, Arc::clone(&beats));
    let returned = within_an_hour(timeline.run("heartbeat", beating)).await;
    assert!(
        returned.is_some(),
        "heartbeat was still running an hour after its token was cancelled: it must \
         wait for `token.cancelled()` beside its timer, and return when that completes\n\n{}",
        timeline.render()
    );
    assert_eq!(
        beats.load(Ordering::SeqCst),
        3,
        "beats are due at 100, 200 and 300 ms, and the token was cancelled at 350 ms: \
         three beats (none at 0 ms: the first is one period after the start)\n\n{}",
        timeline.render()
    );
    assert!(
        ms(start) >= 350,
        "and it ran until the token was cancelled\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_heartbeat_stops_at_once_mid_period() {
    let token = CancellationToken::new();
    let beats = Arc::new(AtomicU32::new(0));
    let timeline = Timeline::new();
    timeline.expect("heartbeat ends at the cancel() at 250 ms, not at the next beat");
    cancel_after(&token, 250, &timeline);
    let start = Instant::now();
    let beating = heartbeat(token, PERIOD, Arc::clone(&beats));
    within_an_hour(timeline.run("heartbeat", beating)).await;
    assert_eq!(
        (ms(start), beats.load(Ordering::SeqCst)),
        (250, 2),
        "cancelled at 250 ms, heartbeat must return at 250 ms after 2 beats. Checking \
         `is_cancelled()` after each sleep only notices at the next beat (300 ms): \
         select! on `token.cancelled()` and the timer, and the cancellation ends the \
         wait as soon as it happens\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_heartbeat_on_a_cancelled_token_returns_at_once() {
    let token = CancellationToken::new();
    token.cancel();
    let beats = Arc::new(AtomicU32::new(0));
    let timeline = Timeline::new();
    timeline.expect("heartbeat over at 0 ms");
    let start = Instant::now();
    let beating = heartbeat(token, PERIOD, Arc::clone(&beats));
    within_an_hour(timeline.run("heartbeat", beating)).await;
    assert_eq!(
        (ms(start), beats.load(Ordering::SeqCst)),
        (0, 0),
        "the token was cancelled before heartbeat started: `cancelled()` completes at \
         once, so heartbeat returns at 0 ms without a beat\n\n{}",
        timeline.render()
    );
}

// ---- crawl: `run_until_cancelled` ----

/// A crawl of `pages` pages of 100 ms each, each page drawn on `timeline`; returns the
/// result, when it returned, and whether each started page was dropped and whether it
/// finished.
async fn run_crawl(
    token: &CancellationToken,
    pages: u32,
    timeline: &Timeline,
) -> (Crawl, u64, Vec<(bool, bool)>) {
    let start = Instant::now();
    let mut flags = Vec::new();
    let fetch = |n: u32| {
        let dropped = Arc::new(AtomicBool::new(false));
        let finished = Arc::new(AtomicBool::new(false));
        flags.push((Arc::clone(&dropped), Arc::clone(&finished)));
        let timeline = timeline.clone();
        async move {
            let _guard = DropFlag(dropped);
            timeline
                .run(format!("fetch(page {n})"), sleep(PERIOD))
                .await;
            finished.store(true, Ordering::SeqCst);
            format!("page {n}")
        }
    };
    let result = within_an_hour(crawl(token, pages, fetch))
        .await
        .expect("crawl did not return within an hour of virtual time");
    let returned = ms(start);
    let flags = flags
        .iter()
        .map(|(d, f)| (d.load(Ordering::SeqCst), f.load(Ordering::SeqCst)))
        .collect();
    (result, returned, flags)
}

#[tokio::test(start_paused = true)]
async fn t04_crawl_fetches_every_page_in_order() {
    let token = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("pages 0, 1 and 2 one after the other, 300 ms in all");
    let (result, returned, _) = run_crawl(&token, 3, &timeline).await;
    assert_eq!(
        (result, returned),
        (
            Crawl {
                pages: vec!["page 0".into(), "page 1".into(), "page 2".into()],
                complete: true,
            },
            300
        ),
        "no cancellation: three pages of 100 ms, one after the other, complete at 300 ms\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_cancelling_drops_the_page_in_flight() {
    let token = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("fetch(page 1) cut off at the cancel() at 150 ms, and no page 2");
    cancel_after(&token, 150, &timeline);
    let (result, returned, flags) = run_crawl(&token, 3, &timeline).await;
    assert_eq!(
        (result, returned),
        (
            Crawl {
                pages: vec!["page 0".into()],
                complete: false,
            },
            150
        ),
        "cancelled at 150 ms, in the middle of page 1: crawl must return at once with \
         page 0 only. Checking `is_cancelled()` between pages waits for page 1 to \
         finish; `token.run_until_cancelled(fetch(n))` gives `None` the moment the \
         token is cancelled\n\n{}",
        timeline.render()
    );
    assert_eq!(
        flags.get(1),
        Some(&(true, false)),
        "page 1's future must have been dropped, unfinished, by the time crawl returns\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_cancelled_token_fetches_nothing() {
    let token = CancellationToken::new();
    token.cancel();
    let timeline = Timeline::new();
    timeline.expect("no page fetched: the token was cancelled before the crawl");
    let (result, returned, flags) = run_crawl(&token, 3, &timeline).await;
    assert_eq!(
        (result, returned),
        (
            Crawl {
                pages: vec![],
                complete: false,
            },
            0
        ),
        "the token was cancelled before crawl began: no page, at once, and not complete. \
         (`run_until_cancelled` on a cancelled token returns `None` without polling the \
         future; fetching first and checking after costs a whole page)\n\n{}",
        timeline.render()
    );
    assert!(
        flags.iter().all(|&(_, finished)| !finished),
        "and no page was fetched to the end\n\n{}",
        timeline.render()
    );
}

// ---- Team: child tokens ----

/// A worker for a team: a heartbeat, drawn on `timeline` as `label`, with a flag that
/// is set when it has returned.
fn beating(
    timeline: &Timeline,
    label: &'static str,
    beats: &Arc<AtomicU32>,
    ended: &Arc<AtomicBool>,
) -> impl FnOnce(CancellationToken) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
    let beats = Arc::clone(beats);
    let ended = Arc::clone(ended);
    let timeline = timeline.clone();
    move |token| {
        Box::pin(async move {
            let _guard = DropFlag(ended);
            timeline.run(label, heartbeat(token, PERIOD, beats)).await;
        })
    }
}

fn gauges() -> (Arc<AtomicU32>, Arc<AtomicBool>) {
    (
        Arc::new(AtomicU32::new(0)),
        Arc::new(AtomicBool::new(false)),
    )
}

#[tokio::test(start_paused = true)]
async fn t07_stop_waits_for_the_workers() {
    let root = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("both workers from 0 ms to the stop at 150 ms, stop() returns after they end");
    let mut team = Team::new(&root);
    let (beats, ended) = gauges();
    let (beats2, ended2) = gauges();
    team.spawn(beating(&timeline, "worker 1", &beats, &ended));
    team.spawn(beating(&timeline, "worker 2", &beats2, &ended2));
    sleep(Duration::from_millis(150)).await;
    within_an_hour(timeline.run("stop()", team.stop()))
        .await
        .expect("stop did not return within an hour of virtual time");
    assert!(
        ended.load(Ordering::SeqCst) && ended2.load(Ordering::SeqCst),
        "when stop() returns, every worker of the team must have returned: cancelling \
         only asks them to stop; wait for them (join every task) before you say they \
         have\n\n{}",
        timeline.render()
    );
    sleep(Duration::from_secs(1)).await;
    assert_eq!(
        (beats.load(Ordering::SeqCst), beats2.load(Ordering::SeqCst)),
        (1, 1),
        "one beat each (at 100 ms) before the stop at 150 ms, and none after it\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_stopping_a_team_leaves_its_parent_and_siblings_running() {
    let root = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("a: worker ends at the stop at 150 ms; b: worker still running at 350 ms");
    let mut a = Team::new(&root);
    let mut b = Team::new(&root);
    let (beats_a, ended_a) = gauges();
    let (beats_b, ended_b) = gauges();
    a.spawn(beating(&timeline, "a: worker", &beats_a, &ended_a));
    b.spawn(beating(&timeline, "b: worker", &beats_b, &ended_b));
    sleep(Duration::from_millis(150)).await;
    within_an_hour(timeline.run("a.stop()", a.stop()))
        .await
        .expect("stop returns");
    sleep(Duration::from_millis(200)).await;
    assert!(
        !root.is_cancelled(),
        "stopping team a cancelled the root token it was made under: a team's token \
         must be `parent.child_token()`, which cancellation does not climb; a clone of \
         the parent is the parent itself\n\n{}",
        timeline.render()
    );
    assert_eq!(
        (
            ended_b.load(Ordering::SeqCst),
            beats_b.load(Ordering::SeqCst)
        ),
        (false, 3),
        "team b is a sibling of team a: it must keep beating after a is stopped (3 beats \
         by 350 ms)\n\n{}",
        timeline.render()
    );
    root.cancel();
    within_an_hour(b.join())
        .await
        .expect("b stops with its parent");
}

#[tokio::test(start_paused = true)]
async fn t09_cancelling_the_parent_stops_every_team() {
    let root = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("both workers end at the cancel() at 150 ms");
    let mut a = Team::new(&root);
    let mut b = Team::new(&root);
    let (beats_a, ended_a) = gauges();
    let (beats_b, ended_b) = gauges();
    a.spawn(beating(&timeline, "a: worker", &beats_a, &ended_a));
    b.spawn(beating(&timeline, "b: worker", &beats_b, &ended_b));
    cancel_after(&root, 150, &timeline);
    let start = Instant::now();
    let joined = within_an_hour(async {
        a.join().await;
        b.join().await;
    })
    .await;
    assert!(
        joined.is_some(),
        "the root token was cancelled at 150 ms, and its teams were still running an hour \
         later: a team's token must come from `parent.child_token()`, so that cancelling \
         the parent cancels it; a fresh `CancellationToken::new()` hears nothing\n\n{}",
        timeline.render()
    );
    assert_eq!(
        ms(start),
        150,
        "both teams end when the root is cancelled, at 150 ms\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t10_stopping_a_team_stops_the_teams_under_it() {
    let root = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("under a: worker ends at a's stop at 150 ms");
    let a = Team::new(&root);
    let mut under_a = Team::new(a.token());
    let (beats, ended) = gauges();
    under_a.spawn(beating(&timeline, "under a: worker", &beats, &ended));
    sleep(Duration::from_millis(150)).await;
    within_an_hour(timeline.run("a.stop()", a.stop()))
        .await
        .expect("stop returns");
    let joined = within_an_hour(under_a.join()).await;
    assert!(
        joined.is_some(),
        "stopping team a must stop the team made under its token too: the tokens form \
         a tree, and cancelling one cancels its whole subtree\n\n{}",
        timeline.render()
    );
    assert_eq!(
        beats.load(Ordering::SeqCst),
        1,
        "one beat before the stop at 150 ms\n\n{}",
        timeline.render()
    );
    assert!(!root.is_cancelled(), "and the root is left as it was");
}

#[tokio::test(start_paused = true)]
async fn t11_a_workers_panic_is_not_lost() {
    let root = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("the panicking worker ends at 50 ms; stop() at 150 ms re-raises its panic");
    let mut team = Team::new(&root);
    let panicking = timeline.clone();
    team.spawn(|_token: CancellationToken| async move {
        panicking
            .run("worker 7", sleep(Duration::from_millis(50)))
            .await;
        panic!("worker 7 failed");
    });
    let (beats, ended) = gauges();
    team.spawn(beating(&timeline, "worker", &beats, &ended));
    sleep(Duration::from_millis(150)).await;
    let stopped = AssertUnwindSafe(team.stop()).catch_unwind().await;
    let message = stopped
        .err()
        .and_then(|panic| panic.downcast_ref::<&str>().map(|s| s.to_string()));
    assert_eq!(
        message.as_deref(),
        Some("worker 7 failed"),
        "a worker panicked at 50 ms: stop() must re-raise that panic when it joins the \
         workers (`JoinError::is_panic`, `std::panic::resume_unwind(err.into_panic())`), \
         not drop the error and report a clean stop\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t12_heartbeat_after_a_stall_beats_once_not_a_burst() {
    // At 10 ms the clock jumps to 350 ms in one go, as if heartbeat's thread had been
    // blocked: the beats due at 100, 200 and 300 ms were missed. Cancelled at 360 ms.
    let token = CancellationToken::new();
    let beats = Arc::new(AtomicU32::new(0));
    let timeline = Timeline::new();
    timeline.expect("a stall from 10 to 350 ms, then one late beat before the cancel() at 360 ms");
    let stalls = timeline.clone();
    tokio::spawn(async move {
        sleep(Duration::from_millis(10)).await;
        let stall = stalls.start("stall");
        tokio::time::advance(Duration::from_millis(340)).await;
        stall.end();
    });
    cancel_after(&token, 360, &timeline);
    let beating = heartbeat(token, PERIOD, Arc::clone(&beats));
    within_an_hour(timeline.run("heartbeat", beating)).await;
    let beats = beats.load(Ordering::SeqCst);
    assert_eq!(
        beats,
        1,
        "heartbeat could not run from 10 to 350 ms and missed the beats due at 100, 200 \
         and 300 ms; at 350 ms it must beat once, late, and then keep the period (none \
         more before the cancel() at 360 ms). An Interval's default \
         MissedTickBehavior::Burst fires every missed tick at once to catch up, {beats} \
         beats in a row here: a heartbeat wants Delay or Skip (set_missed_tick_behavior, \
         kata 06.04)\n\n{}",
        timeline.render()
    );
}
