//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `heartbeat_checks_between_beats` (t02, t13): `is_cancelled()` after each `sleep(period)`: a cancel mid-period is seen only at the next beat
//! - `crawl_checks_between_pages` (t05, t15): `is_cancelled()` before each page: the page in flight is finished instead of dropped
//! - `crawl_checks_after_each_page` (t06, t14, t15): fetch, then check: a token cancelled before the start still fetches a page
//! - `team_clones_the_parent` (t08): `parent.clone()` for the team's token: stopping one team cancels the parent and every sibling
//! - `team_with_a_fresh_token` (t09, t10): `CancellationToken::new()` for the team: cancelling the parent does not reach it
//! - `stop_does_not_wait` (t07, t16): `stop` cancels and returns: the workers are still running when it does
//! - `join_ignores_errors` (t11, t17): `while let Some(_) = join_next()`: a worker's panic is lost
//! - `heartbeat_bursts_after_a_stall` (t12): `interval_at` with the default `MissedTickBehavior::Burst`: after a stall every missed beat goes out at once
//!
//! - `crawl_select_unbiased` (t14, t15): a hand-written `select!` of the page and `token.cancelled()`, unbiased: on a token already cancelled it polls the page first half the time, and keeps a page ready at its first poll
//!
//! Blind answers: 8 tried, 3 passed before this test file caught them (2026-12):
//! `crawl_select_unbiased` (above; t14 crawls 64 times on a cancelled token, counting
//! polls, with pages ready at their first poll and pending ones), and two that are not
//! wrong: `heartbeat_missed_tick_skip` (`MissedTickBehavior::Skip`, which 06.04 and t12
//! accept beside `Delay`) and `heartbeat_sleep_in_select` (a `sleep(period)` made after
//! each beat: with no other branch that loops, the beats fall where `Delay` puts them;
//! only an `Interval`'s 5 ms tolerance for a late tick tells them apart, which is tokio's
//! detail, not the lesson's promise). The lesson now says both are accepted. t13 checks
//! the beat count half-way through every period for three periods and six cancel
//! instants; t15 crawls generated pages (unequal, some ready at their first poll) with
//! the token cancelled never, before, or at any instant; t16 stops workers whose cleanup
//! takes unequal times; t17 re-raises a panic from `join` too, and from a worker that
//! panics at its first poll or in its cleanup.
//!
//! No verdict depends on `select!`'s random choice: no cancellation falls on the instant
//! of a beat or of the end of a page (t15 moves a cancel off such an instant), and t14's
//! 64 crawls make an unbiased `select!` pass with odds of 2^-64. So the solution's
//! `biased;` (a cancellation beats a beat due at the same instant) is not required of the
//! learner, and no fixture drops it.
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

/// Panics with `message`, as a bug in the code would, but quietly: `resume_unwind` skips
/// the panic hook, so the expected panic is not printed above the test's own failure.
fn fail(message: impl std::any::Any + Send) -> ! {
    std::panic::resume_unwind(Box::new(message))
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
        fail("worker 7 failed");
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

#[tokio::test(start_paused = true)]
async fn t13_heartbeat_beats_on_the_period_until_any_cancel() {
    // Periods of 30, 100 and 250 ms, each cancelled at six instants between beats: the
    // count is checked half-way through every period, and when heartbeat returns.
    for period in [30u64, 100, 250] {
        for cancel in [
            1,
            period / 2,
            period + 1,
            2 * period - 1,
            3 * period + period / 2,
            7 * period + 1,
        ] {
            let token = CancellationToken::new();
            let beats = Arc::new(AtomicU32::new(0));
            let timeline = Timeline::new();
            timeline.expect(format!(
                "a beat every {period} ms until the cancel() at {cancel} ms"
            ));
            cancel_after(&token, cancel, &timeline);
            let start = Instant::now();
            let beating = tokio::spawn({
                let timeline = timeline.clone();
                let beating = heartbeat(token, Duration::from_millis(period), Arc::clone(&beats));
                async move { timeline.run("heartbeat", beating).await }
            });
            let mut k = 0;
            while k * period + period / 2 < cancel {
                tokio::time::sleep_until(start + Duration::from_millis(k * period + period / 2))
                    .await;
                assert_eq!(
                    beats.load(Ordering::SeqCst),
                    k as u32,
                    "a period of {period} ms, cancelled at {cancel} ms: at {} ms, {k} beats \
                     are due (one every period, the first a period after the start)\n\n{}",
                    k * period + period / 2,
                    timeline.render()
                );
                k += 1;
            }
            within_an_hour(beating)
                .await
                .expect("heartbeat returns once its token is cancelled")
                .expect("heartbeat does not panic");
            assert_eq!(
                (ms(start), beats.load(Ordering::SeqCst)),
                (cancel, (cancel / period) as u32),
                "a period of {period} ms, cancelled at {cancel} ms: heartbeat returns at \
                 {cancel} ms, after {} beats\n\n{}",
                cancel / period,
                timeline.render()
            );
        }
    }
}

/// What the tests see of one page's future: how many times it was polled, whether it
/// finished, whether it was dropped.
#[derive(Clone, Default)]
struct PageProbe {
    polls: Arc<AtomicU32>,
    finished: Arc<AtomicBool>,
    dropped: Arc<AtomicBool>,
}

impl PageProbe {
    fn polls(&self) -> u32 {
        self.polls.load(Ordering::SeqCst)
    }
    fn finished(&self) -> bool {
        self.finished.load(Ordering::SeqCst)
    }
    fn dropped(&self) -> bool {
        self.dropped.load(Ordering::SeqCst)
    }
}

/// A page's future as the probed fetch makes it.
type Page = std::pin::Pin<Box<dyn Future<Output = String>>>;

/// A fetch whose page `n` takes `took[n]` ms (0: ready at its first poll), each page's
/// future counting its polls in the returned probes, drawn on `timeline`.
fn probed_fetch(took: &[u64], timeline: &Timeline) -> (impl FnMut(u32) -> Page, Vec<PageProbe>) {
    let probes: Vec<PageProbe> = took.iter().map(|_| PageProbe::default()).collect();
    let (took, seen, timeline) = (took.to_vec(), probes.clone(), timeline.clone());
    let fetch = move |n: u32| {
        let probe = seen[n as usize].clone();
        let took = took[n as usize];
        let timeline = timeline.clone();
        let guard = DropFlag(Arc::clone(&probe.dropped));
        let finished = Arc::clone(&probe.finished);
        let mut page = Box::pin(async move {
            let _guard = guard;
            let label = format!("fetch(page {n})");
            if took == 0 {
                timeline.start(label).end();
            } else {
                timeline
                    .run(label, sleep(Duration::from_millis(took)))
                    .await;
            }
            finished.store(true, Ordering::SeqCst);
            format!("page {n}")
        });
        let polls = Arc::clone(&probe.polls);
        Box::pin(futures::future::poll_fn(move |cx| {
            polls.fetch_add(1, Ordering::SeqCst);
            page.as_mut().poll(cx)
        })) as Page
    };
    (fetch, probes)
}

#[tokio::test(start_paused = true)]
async fn t14_a_cancelled_token_polls_no_page() {
    // 64 crawls on a cancelled token, with pages ready at their first poll and pages
    // that take 100 ms: a `select!` that picks its branch at random polls a page in
    // about half of them.
    for run in 0..64 {
        let took = if run % 2 == 0 {
            [0, 0, 0]
        } else {
            [100, 100, 100]
        };
        let token = CancellationToken::new();
        token.cancel();
        let timeline = Timeline::new();
        timeline.expect("no page polled: the token was cancelled before the crawl");
        let (fetch, probes) = probed_fetch(&took, &timeline);
        let result = within_an_hour(crawl(&token, 3, fetch))
            .await
            .expect("crawl returns");
        let polls: Vec<u32> = probes.iter().map(PageProbe::polls).collect();
        assert_eq!(
            (result.pages, polls),
            (vec![], vec![0, 0, 0]),
            "crawl {run} of 64, pages {}: the token was cancelled before the crawl, so no \
             page may be polled at all, not even once, and none kept. A hand-written \
             `select!` picks its branch at random and polls the page first half the \
             time (a page ready at its first poll is then fetched); \
             `run_until_cancelled` checks the token before it polls (or `biased;` with \
             the token's branch first). (left: the pages kept and the polls of each page; \
             right: what the lesson asks)\n\n{}",
            if took[0] == 0 {
                "ready at their first poll"
            } else {
                "of 100 ms"
            },
            timeline.render()
        );
    }
}

/// When the token is cancelled in a generated crawl.
#[derive(Clone, Copy, Debug)]
enum Cancel {
    Never,
    Before,
    At(u64),
}

#[test]
fn t15_any_pages_and_any_cancel_instant() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    // Up to 5 pages of 1 to 200 ms, or ready at their first poll; a token never
    // cancelled, cancelled before the crawl, or at an instant of 1 to 900 ms that is no
    // page's end (the test moves it off one: a page that ends as the token is cancelled
    // may go either way).
    let took = proptest::collection::vec(prop_oneof![1 => Just(0u64), 3 => 1u64..=200], 0..=5);
    let cancel = prop_oneof![
        1 => Just(Cancel::Never),
        1 => Just(Cancel::Before),
        4 => (1u64..=900).prop_map(Cancel::At),
    ];
    TestRunner::new(Config {
        cases: 200,
        rng_seed: RngSeed::Fixed(0x0802),
        failure_persistence: None,
        ..Config::default()
    })
    .run(&(took, cancel), |(took, cancel)| {
        let ends: Vec<u64> = took
            .iter()
            .scan(0, |at, ms| {
                *at += ms;
                Some(*at)
            })
            .collect();
        let cancel = match cancel {
            Cancel::At(mut at) => {
                while ends.contains(&at) {
                    at += 1;
                }
                Cancel::At(at)
            }
            other => other,
        };
        let pages = took.len();
        // The pages that end before the cancel are fetched; the next one is in flight.
        let fetched = match cancel {
            Cancel::Never => pages,
            Cancel::Before => 0,
            Cancel::At(at) => ends.iter().filter(|&&end| end < at).count(),
        };
        let total = ends.last().copied().unwrap_or(0);
        let (complete, returned) = match cancel {
            Cancel::Before => (pages == 0, 0),
            _ if fetched == pages => (true, total),
            Cancel::At(at) => (false, at),
            Cancel::Never => unreachable!("never cancelled, every page is fetched"),
        };
        let want_pages: Vec<String> = (0..fetched).map(|n| format!("page {n}")).collect();
        let want_polled: Vec<bool> = (0..pages)
            .map(|n| n < fetched || (n == fetched && !matches!(cancel, Cancel::Before)))
            .collect();
        let case = format!(
            "pages of [{}], the token {}",
            took.iter()
                .map(|ms| if *ms == 0 {
                    "ready at once".to_string()
                } else {
                    format!("{ms} ms")
                })
                .collect::<Vec<_>>()
                .join(", "),
            match cancel {
                Cancel::Never => "never cancelled".to_string(),
                Cancel::Before => "cancelled before the crawl".to_string(),
                Cancel::At(at) => format!("cancelled at {at} ms"),
            }
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        let timeline = Timeline::new();
        timeline.expect(match cancel {
            Cancel::Before => {
                "no page polled: the token was cancelled before the crawl".to_string()
            }
            _ if fetched == pages => "the pages one after the other, all fetched".to_string(),
            _ => format!("the pages one after the other, page {fetched} cut off at the cancel()"),
        });
        let (result, took_ms, probes) = runtime.block_on(async {
            let token = CancellationToken::new();
            match cancel {
                Cancel::Before => token.cancel(),
                Cancel::At(at) => cancel_after(&token, at, &timeline),
                Cancel::Never => {}
            }
            let (fetch, probes) = probed_fetch(&took, &timeline);
            let start = Instant::now();
            let result = within_an_hour(crawl(&token, pages as u32, fetch))
                .await
                .expect("crawl did not return within an hour of virtual time");
            (result, ms(start), probes)
        });
        let polled: Vec<bool> = probes.iter().map(|p| p.polls() > 0).collect();
        let got = (&result.pages, result.complete, took_ms, &polled);
        let want = (&want_pages, complete, returned, &want_polled);
        prop_assert!(
            got == want,
            "{}: crawl fetches the pages one after the other; the pages that end before \
             the cancel are kept, the one in flight is dropped at the cancel, the ones \
             after it are never polled, and a token cancelled before the crawl polls no \
             page. `complete` is whether every page was fetched (with no pages at all, \
             it is). Pages, complete, returned at (ms), which pages were polled:\n     \
             crawl gave: {:?}\nthe lesson asks: {:?}\n\n{}",
            case,
            got,
            want,
            timeline.render()
        );
        if fetched < pages && !matches!(cancel, Cancel::Before) {
            let in_flight = &probes[fetched];
            prop_assert!(
                in_flight.dropped() && !in_flight.finished(),
                "{}: page {} was in flight at the cancel: its future must be dropped, \
                 unfinished, by the time crawl returns\n\n{}",
                case,
                fetched,
                timeline.render()
            );
        }
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

#[tokio::test(start_paused = true)]
async fn t16_stop_waits_for_every_workers_cleanup() {
    // Three workers that clean up for 10, 50 and 0 ms once their token is cancelled,
    // and one that returned at once, long before the stop at 100 ms.
    let root = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("stop() at 100 ms returns at 150 ms, when the slowest cleanup ends");
    let mut team = Team::new(&root);
    let mut cleaned = Vec::new();
    for (n, cleanup) in [(1, 10u64), (2, 50), (3, 0)] {
        let done = Arc::new(AtomicBool::new(false));
        cleaned.push(Arc::clone(&done));
        let timeline = timeline.clone();
        team.spawn(move |token: CancellationToken| async move {
            timeline.run(format!("worker {n}"), token.cancelled()).await;
            if cleanup > 0 {
                timeline
                    .run(
                        format!("worker {n}: cleanup"),
                        sleep(Duration::from_millis(cleanup)),
                    )
                    .await;
            }
            done.store(true, Ordering::SeqCst);
        });
    }
    team.spawn(|_token: CancellationToken| async {});
    let start = Instant::now();
    sleep(Duration::from_millis(100)).await;
    within_an_hour(timeline.run("stop()", team.stop()))
        .await
        .expect("stop did not return within an hour of virtual time");
    let cleaned: Vec<bool> = cleaned.iter().map(|c| c.load(Ordering::SeqCst)).collect();
    assert_eq!(
        (cleaned, ms(start)),
        (vec![true, true, true], 150),
        "stopped at 100 ms, the workers need 10, 50 and 0 ms to clean up after their token \
         is cancelled (and one had returned long before): stop() returns when the last of \
         them has returned, at 150 ms, not before, and without cutting any short (join \
         every task of the team, to the end of the set)\n\n{}",
        timeline.render()
    );
}

/// Runs `future`, which must panic with `expected`; says `what` otherwise.
async fn reraises(
    future: impl Future<Output = ()>,
    expected: &str,
    what: &str,
    timeline: &Timeline,
) {
    let ended = within_an_hour(AssertUnwindSafe(future).catch_unwind())
        .await
        .unwrap_or_else(|| {
            panic!(
                "{what}: it did not return within an hour\n\n{}",
                timeline.render()
            )
        });
    let message = ended.err().and_then(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
    });
    assert_eq!(
        message.as_deref(),
        Some(expected),
        "{what}: it must re-raise the worker's panic (`JoinError::is_panic`, \
         `std::panic::resume_unwind(err.into_panic())`), not lose it\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t17_join_and_stop_reraise_a_panic_whenever_it_happens() {
    // join(): a worker panics at 30 ms; the parent is cancelled at 100 ms.
    let root = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("worker 1 panics at 30 ms; join() re-raises it");
    let mut team = Team::new(&root);
    let panicking = timeline.clone();
    team.spawn(|_token: CancellationToken| async move {
        panicking
            .run("worker 1", sleep(Duration::from_millis(30)))
            .await;
        fail("worker 1 failed");
    });
    let (beats, ended) = gauges();
    team.spawn(beating(&timeline, "worker 2", &beats, &ended));
    cancel_after(&root, 100, &timeline);
    reraises(team.join(), "worker 1 failed", "a worker panicked at 30 ms, then the parent was cancelled and join() waited for the workers", &timeline).await;

    // stop(): a worker that panics at its first poll, long before the stop at 100 ms.
    let root = CancellationToken::new();
    let timeline = Timeline::new();
    timeline.expect("worker 1 panics at 0 ms; stop() at 100 ms re-raises it");
    let mut team = Team::new(&root);
    team.spawn(|_token: CancellationToken| async { fail("worker 1 failed at once") });
    let (beats, ended) = gauges();
    team.spawn(beating(&timeline, "worker 2", &beats, &ended));
    sleep(Duration::from_millis(100)).await;
    reraises(
        team.stop(),
        "worker 1 failed at once",
        "a worker panicked at its first poll, and stop() came at 100 ms",
        &timeline,
    )
    .await;

    // stop(): a worker that panics while it cleans up, after its token is cancelled.
    let root = CancellationToken::new();
    let timeline = Timeline::new();
    timeline
        .expect("stop() at 100 ms; worker 1 panics in its cleanup at 120 ms; stop() re-raises it");
    let mut team = Team::new(&root);
    let cleaning = timeline.clone();
    team.spawn(|token: CancellationToken| async move {
        cleaning.run("worker 1", token.cancelled()).await;
        cleaning
            .run("worker 1: cleanup", sleep(Duration::from_millis(20)))
            .await;
        fail("worker 1 failed in its cleanup");
    });
    sleep(Duration::from_millis(100)).await;
    reraises(
        team.stop(),
        "worker 1 failed in its cleanup",
        "stop() at 100 ms, and a worker panicked in its cleanup at 120 ms",
        &timeline,
    )
    .await;
}
