//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `awaits_jobs_one_by_one` (t01, t08, t09): each job is awaited as it is received: one at a time, and nothing is accepted meanwhile
//! - `no_grace_period` (t02, t09): everything still running is aborted the moment the shutdown begins
//! - `sleeps_out_the_grace_period` (t02, t07, t09): `sleep(grace)`, then abort: the grace period is waited out even when every job is done
//! - `tracker_never_closed` (t02, t07, t09): `tracker.wait()` without `tracker.close()`: it waits out the grace period every time
//! - `no_deadline` (t03, t09): `tracker.wait()` with no timeout: a job that never ends keeps `run` for ever
//! - `abort_without_awaiting` (t03, t09): `abort()` and report at once: the aborted jobs have not been dropped yet when `run` returns
//! - `reports_without_aborting` (t03, t09): after the grace period every unfinished job is reported aborted, but left running
//! - `keeps_accepting_during_grace` (t04, t09): the loop keeps receiving until the channel closes: jobs sent during the grace period are still started
//! - `stops_receiving_without_closing` (t04, t08, t09): the loop stops receiving but never closes the channel: a late `send` succeeds and its job is dropped unseen
//! - `unwraps_join_errors` (t05, t09): `handle.await.unwrap()`: a panicking job takes `run` down with it
//! - `every_error_is_an_abort` (t05, t09): every `JoinError` is reported as an abort, the panics too
//! - `close_without_drain` (t08, t09): on the cancel, `jobs.close()` and leave the loop: the jobs still in the channel are dropped unseen
//! - `report_in_completion_order` (t09): a `JoinSet`, its `join_next` filing each verdict: the lists come in the order the jobs ended, not the order accepted
//! - `grace_per_job` (t03, t09): each handle awaited under a timeout of its own: the grace period starts over for every job, the shutdown takes up to n × grace
//! - `drain_with_try_recv` (t10): drains with `try_recv()` after `close()`: `Empty` while a slot reserved before the close is still unused, and the job sent through it is lost
//!
//! Blind answers: 8 tried, 2 passed before this test file caught them (2026-12):
//! `close_without_drain` and `report_in_completion_order` (above; before, no job was in
//! the channel when the shutdown began and every job ended in the order accepted).
//! `grace_per_job` was rejected and is kept too. t08 starts `run` on a token already
//! cancelled with 64 jobs in the channel; t09 runs generated jobs (sent at any moment or
//! in the shutdown's very instant, ending in any order, at their first poll or later,
//! finishing or panicking) with a shutdown by the token or by the senders at any moment
//! and a grace period of zero, 1 to 300 ms or `Duration::MAX`, and checks the report,
//! when `run` returns, the late sends refused, and that nothing runs after it.
//! A second blind round (2026-12, after these tests): 6 tried, 1 passed:
//! `drain_with_try_recv` (no test used a slot reserved before the close; t10 does).
//!
//! No verdict depends on `select!`'s random choice for the solution: when a job is in
//! the channel as the shutdown begins, `run` accepts it whichever branch wins (the
//! token's branch closes the channel, and `recv` still gives the job). A wrong answer
//! that drops it shows in t08 with odds of 1 - 2^-64 (64 jobs, each a coin toss), and in
//! t09 over its many cases. No job ends at the very instant the grace period runs out
//! (t09 moves it 1 ms later).
//!
//! Mutants: cargo-mutants finds 3 and the tests catch all 3. Inside `select!` it mutates
//! nothing: the fixtures stand in for the hand-made mutants there (the token's branch
//! that breaks instead of closing, the branch left out).

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::FutureExt;
use timeline::Timeline;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;
use tracked_shutdown::{Job, Report, run};

const GRACE: Duration = Duration::from_millis(100);

/// Sets its flag when dropped: proves a job's future was dropped.
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

/// What the test can see of one job: whether it finished its work, and whether its
/// future has been dropped (after finishing, or when aborted).
#[derive(Clone, Default)]
struct Seen {
    finished: Arc<AtomicBool>,
    dropped: Arc<AtomicBool>,
}

impl Seen {
    fn finished(&self) -> bool {
        self.finished.load(Ordering::SeqCst)
    }
    fn dropped(&self) -> bool {
        self.dropped.load(Ordering::SeqCst)
    }
}

/// A job that works for `ms` of virtual time, drawn on `timeline` (cut off if aborted).
fn job(timeline: &Timeline, id: u32, ms: u64) -> (Job, Seen) {
    let seen = Seen::default();
    let (finished, dropped) = (Arc::clone(&seen.finished), Arc::clone(&seen.dropped));
    let timeline = timeline.clone();
    let work = Box::pin(async move {
        let _guard = DropFlag(dropped);
        let working = sleep(Duration::from_millis(ms));
        timeline.run(format!("job({id})"), working).await;
        finished.store(true, Ordering::SeqCst);
    });
    (Job { id, work }, seen)
}

/// A job that panics after `ms`.
fn panicking_job(id: u32, ms: u64) -> Job {
    Job {
        id,
        work: Box::pin(async move {
            sleep(Duration::from_millis(ms)).await;
            fail(format!("job {id} failed"));
        }),
    }
}

/// Runs `run` with the given jobs sent at once, the token cancelled at `shutdown_at` (if
/// any, drawn on `timeline`) and the senders dropped then (or at once if
/// `close_at_once`). Returns the report and when `run` returned.
async fn run_with(
    timeline: &Timeline,
    jobs: Vec<Job>,
    shutdown_at: Option<u64>,
    close_at_once: bool,
) -> (Report, u64) {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel(16);
    for job in jobs {
        assert!(
            tx.send(job).await.is_ok(),
            "run accepts jobs before the shutdown"
        );
    }
    let token = CancellationToken::new();
    if let Some(at) = shutdown_at {
        let token = token.clone();
        let tx = (!close_at_once).then_some(tx.clone());
        let timeline = timeline.clone();
        tokio::spawn(async move {
            sleep(Duration::from_millis(at)).await;
            timeline.start("shutdown").end();
            token.cancel();
            drop(tx);
        });
    }
    drop(tx);
    let report = finish(run(rx, token, GRACE), timeline).await;
    (report, start.elapsed().as_millis() as u64)
}

/// Awaits `run`, turning a hang or a panic into a message.
async fn finish(running: impl Future<Output = Report>, timeline: &Timeline) -> Report {
    match tokio::time::timeout(
        Duration::from_secs(3600),
        AssertUnwindSafe(running).catch_unwind(),
    )
    .await
    {
        Err(_) => panic!(
            "run did not return within an hour of virtual time: the grace period is \
             100 ms. Wait for the jobs with a deadline (`tokio::time::timeout(grace, …)`), \
             then abort what is left\n\n{}",
            timeline.render()
        ),
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Ok(Ok(report)) => report,
    }
}

#[tokio::test(start_paused = true)]
async fn t01_jobs_run_at_once_side_by_side() {
    let timeline = Timeline::new();
    timeline.expect("job(1) and job(2) side by side, from 0 ms to 50 ms");
    let (a, seen_a) = job(&timeline, 1, 50);
    let (b, seen_b) = job(&timeline, 2, 50);
    let (report, returned) = run_with(&timeline, vec![a, b], None, true).await;
    assert_eq!(
        (returned, seen_a.finished(), seen_b.finished()),
        (50, true, true),
        "two jobs of 50 ms each, sent at once: each runs in a task of its own, started \
         when it is received, so both are done at 50 ms (100 ms: they ran one after the \
         other). Every sender was gone at once: that begins the shutdown, and there is \
         nothing left to wait for at 50 ms\n\n{}",
        timeline.render()
    );
    assert_eq!(
        report,
        Report {
            finished: vec![1, 2],
            ..Report::default()
        },
        "both finished, listed in the order they were accepted\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_jobs_in_flight_may_finish_within_the_grace_period() {
    let timeline = Timeline::new();
    timeline.expect(
        "job(2) runs on past the shutdown at 100 ms to its end at 150 ms, and run returns then",
    );
    let (a, _) = job(&timeline, 1, 50);
    let (b, seen_b) = job(&timeline, 2, 150);
    let (report, returned) = run_with(&timeline, vec![a, b], Some(100), false).await;
    assert_eq!(
        report,
        Report {
            finished: vec![1, 2],
            ..Report::default()
        },
        "the shutdown came at 100 ms, and job 2 needed until 150 ms: within the grace \
         period of 100 ms, so it must be allowed to finish, not aborted at once\n\n{}",
        timeline.render()
    );
    assert!(seen_b.finished(), "job 2 ran to its end");
    assert_eq!(
        returned,
        150,
        "the last job finished at 150 ms, and with nothing left run must return then, \
         not at the end of the grace period (200 ms). `tracker.wait()` completes once \
         the tracker is closed and empty; without `tracker.close()` it never does\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_what_outlives_the_grace_period_is_aborted_and_dropped() {
    let timeline = Timeline::new();
    timeline.expect("job(3) cut off at 200 ms, the end of the grace period");
    let (a, _) = job(&timeline, 1, 50);
    let (b, _) = job(&timeline, 2, 150);
    let (c, seen_c) = job(&timeline, 3, 400);
    let (report, returned) = run_with(&timeline, vec![a, b, c], Some(100), false).await;
    assert_eq!(
        (report.clone(), returned),
        (
            Report {
                finished: vec![1, 2],
                aborted: vec![3],
                ..Report::default()
            },
            200
        ),
        "the grace period ran from the shutdown at 100 ms to 200 ms; job 3 needed until \
         400 ms: run must abort it at 200 ms and report it aborted\n\n{}",
        timeline.render()
    );
    assert!(
        seen_c.dropped(),
        "when run returns, job 3's future must have been dropped: `abort()` only \
         schedules the cancellation, and the task is dropped when the runtime next gets \
         to it. Await the aborted task's JoinHandle (it gives a cancelled JoinError) to \
         know it is gone\n\n{}",
        timeline.render()
    );
    sleep(Duration::from_secs(1)).await;
    assert!(
        !seen_c.finished(),
        "job 3 went on running after run returned and finished at 400 ms: it was \
         reported aborted but never aborted. Nothing may run after run returns\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_no_job_is_accepted_after_the_shutdown() {
    let timeline = Timeline::new();
    timeline.expect("job(1) from 0 ms to 150 ms, and no job(9)");
    let start = Instant::now();
    let (tx, rx) = mpsc::channel(16);
    let (long, _) = job(&timeline, 1, 150);
    assert!(
        tx.send(long).await.is_ok(),
        "run accepts jobs before the shutdown\n\n{}",
        timeline.render()
    );
    let token = CancellationToken::new();
    let late = tokio::spawn({
        let token = token.clone();
        let timeline = timeline.clone();
        async move {
            sleep(Duration::from_millis(100)).await;
            timeline.start("shutdown").end();
            token.cancel();
            sleep(Duration::from_millis(20)).await;
            let (late, seen) = job(&timeline, 9, 10);
            let sent = tx.send(late).await.is_ok();
            (sent, seen)
        }
    });
    let report = finish(run(rx, token, GRACE), &timeline).await;
    let (sent, seen_late) = late.await.expect("the test's task does not panic");
    assert!(
        !sent,
        "job 9 was sent at 120 ms, after the shutdown at 100 ms, and the send succeeded: \
         run must close the channel when the shutdown begins (`Receiver::close`), so \
         that late senders get their job back instead of believing it accepted\n\n{}",
        timeline.render()
    );
    assert!(
        !seen_late.finished() && !report.finished.contains(&9),
        "job 9 came after the shutdown: it must not run\n\n{}",
        timeline.render()
    );
    assert_eq!(
        (report.finished, start.elapsed().as_millis()),
        (vec![1], 150),
        "job 1 finished within the grace period, at 150 ms\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_panicking_job_is_reported_not_lost() {
    let timeline = Timeline::new();
    timeline.expect("job(3) cut off at 200 ms, the end of the grace period");
    let (a, _) = job(&timeline, 1, 50);
    let (c, _) = job(&timeline, 3, 400);
    let jobs = vec![a, panicking_job(2, 20), c];
    let (report, returned) = run_with(&timeline, jobs, Some(100), false).await;
    assert_eq!(
        (report, returned),
        (
            Report {
                finished: vec![1],
                aborted: vec![3],
                panicked: vec![2],
            },
            200
        ),
        "job 2 panicked at 20 ms: its JoinError says so (`is_panic()`), and the report \
         must say so too, apart from the aborted job 3 (`is_cancelled()`); the other \
         jobs and run itself carry on\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_closed_channel_begins_the_shutdown_too() {
    let timeline = Timeline::new();
    timeline.expect("job(1) cut off at 100 ms: the channel closed at 0 ms, plus the grace period");
    let (a, seen) = job(&timeline, 1, 500);
    let (report, returned) = run_with(&timeline, vec![a], None, true).await;
    assert_eq!(
        (report, returned),
        (
            Report {
                aborted: vec![1],
                ..Report::default()
            },
            100
        ),
        "every sender was gone at 0 ms, and the token was never cancelled: no job can \
         come any more, so the shutdown begins then, and job 1 (500 ms) is aborted when \
         the grace period ends at 100 ms\n\n{}",
        timeline.render()
    );
    assert!(
        seen.dropped(),
        "and it was dropped by the time run returned\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t07_an_idle_shutdown_returns_at_once() {
    let timeline = Timeline::new();
    timeline.expect("nothing runs: shutdown at 30 ms, and run returns then");
    let (report, returned) = run_with(&timeline, vec![], Some(30), false).await;
    assert_eq!(
        (report, returned),
        (Report::default(), 30),
        "no job at all, shutdown at 30 ms: nothing to wait for, so run returns at 30 ms, \
         not after the grace period\n\n{}",
        timeline.render()
    );
}

/// A job that works for `ms` of virtual time and is not drawn.
fn quiet_job(id: u32, ms: u64) -> (Job, Seen) {
    let seen = Seen::default();
    let (finished, dropped) = (Arc::clone(&seen.finished), Arc::clone(&seen.dropped));
    let work = Box::pin(async move {
        let _guard = DropFlag(dropped);
        sleep(Duration::from_millis(ms)).await;
        finished.store(true, Ordering::SeqCst);
    });
    (Job { id, work }, seen)
}

#[tokio::test(start_paused = true)]
async fn t08_jobs_already_in_the_channel_at_the_shutdown_are_accepted() {
    // 64 jobs of 50 ms wait in the channel, and the token is already cancelled when run
    // starts: both of run's branches are ready at its first poll, and at each poll after
    // (a `select!` that picks at random takes the token's branch first half the time).
    let (tx, rx) = mpsc::channel(64);
    let mut seen = Vec::new();
    for id in 1..=64 {
        let (job, s) = quiet_job(id, 50);
        assert!(tx.send(job).await.is_ok(), "run's channel takes 64 jobs");
        seen.push(s);
    }
    let token = CancellationToken::new();
    token.cancel();
    let start = Instant::now();
    let timeline = Timeline::new();
    let report = finish(run(rx, token, GRACE), &timeline).await;
    let returned = start.elapsed().as_millis() as u64;
    let refused = tx.send(quiet_job(99, 10).0).await.is_err();
    let ran = seen.iter().filter(|s| s.finished()).count();
    assert_eq!(
        (report.finished.len(), ran, returned),
        (64, 64, 50),
        "64 jobs of 50 ms were already in the channel when the shutdown began (the token \
         was cancelled before run started): \"a job that was already in the channel is \
         still accepted\", so all 64 run side by side and finish at 50 ms. After \
         `jobs.close()`, keep calling `recv()` until it gives `None`: the jobs in the \
         channel come first. (left: jobs reported finished, jobs that ran, when run \
         returned; right: what the lesson asks)"
    );
    assert_eq!(
        report,
        Report {
            finished: (1..=64).collect(),
            ..Report::default()
        },
        "every one of the 64 jobs finished, in the order they were accepted"
    );
    assert!(
        refused,
        "and once run has returned, a send fails: the channel was closed at the shutdown"
    );
}

/// How a generated job ends, after how many ms of its own (0: at its first poll).
#[derive(Clone, Copy, Debug)]
enum Ends {
    Finishes(u64),
    Panics(u64),
}

impl Ends {
    fn after(self) -> u64 {
        match self {
            Ends::Finishes(ms) | Ends::Panics(ms) => ms,
        }
    }
    fn later(self) -> Ends {
        match self {
            Ends::Finishes(ms) => Ends::Finishes(ms + 1),
            Ends::Panics(ms) => Ends::Panics(ms + 1),
        }
    }
}

/// A generated job: works for its time, then finishes or panics; drawn on `timeline`.
fn generated_job(timeline: &Timeline, id: u32, ends: Ends) -> (Job, Seen, Arc<AtomicBool>) {
    let seen = Seen::default();
    let polled = Arc::new(AtomicBool::new(false));
    let (finished, dropped) = (Arc::clone(&seen.finished), Arc::clone(&seen.dropped));
    let (timeline, was_polled) = (timeline.clone(), Arc::clone(&polled));
    // Made outside the job, so that a job dropped before its first poll sets it too.
    let guard = DropFlag(dropped);
    let work = Box::pin(async move {
        was_polled.store(true, Ordering::SeqCst);
        let _guard = guard;
        let label = format!("job({id})");
        match ends.after() {
            0 => timeline.start(label).end(),
            ms => timeline.run(label, sleep(Duration::from_millis(ms))).await,
        }
        if let Ends::Panics(_) = ends {
            fail(format!("job {id} failed"));
        }
        finished.store(true, Ordering::SeqCst);
    });
    (Job { id, work }, seen, polled)
}

#[test]
fn t09_any_jobs_any_shutdown_any_grace() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    // Up to 6 jobs, each sent at 0 to 300 ms or in the shutdown's instant, finishing or panicking after 1 to 400 ms
    // or at its first poll; the shutdown at 0 to 400 ms, by the token (jobs sent after
    // it must be refused) or by the last sender going; a grace period of zero, 1 to
    // 300 ms, or Duration::MAX. No job ends at the very instant the grace period runs
    // out (the test moves it 1 ms later: that instant may go either way).
    let ends = prop_oneof![
        3 => prop_oneof![1 => Just(0u64), 4 => 1u64..=400].prop_map(Ends::Finishes),
        1 => prop_oneof![1 => Just(0u64), 4 => 1u64..=400].prop_map(Ends::Panics),
    ];
    // `None`: sent in the very instant of the shutdown, just before it.
    let sent = prop_oneof![1 => Just(None), 3 => (0u64..=300).prop_map(Some)];
    let jobs = proptest::collection::vec((sent, ends), 0..=6);
    let grace =
        prop_oneof![1 => Just(Some(0u64)), 4 => (1u64..=300).prop_map(Some), 1 => Just(None)];
    TestRunner::new(Config {
        cases: 200,
        rng_seed: RngSeed::Fixed(0x0803),
        failure_persistence: None,
        ..Config::default()
    })
    .run(
        &(jobs, any::<bool>(), 0u64..=400, grace),
        |(jobs, by_token, at, grace)| {
            // The senders gone at `at`: nobody sends after it.
            let mut jobs: Vec<(u64, Ends)> = jobs
                .into_iter()
                .map(|(sent, ends)| match sent {
                    None => (at, ends),
                    Some(sent) if by_token => (sent, ends),
                    Some(sent) => (sent.min(at), ends),
                })
                .collect();
            let deadline = grace.map(|grace| at + grace);
            for (sent, ends) in jobs.iter_mut() {
                while *sent <= at && Some(*sent + ends.after()) == deadline {
                    *ends = ends.later();
                }
            }
            // Sent in the order of their instants (ids in the order generated).
            let mut order: Vec<usize> = (0..jobs.len()).collect();
            order.sort_by_key(|&i| jobs[i].0);
            let mut want = Report::default();
            let mut want_returned = at;
            let mut want_refused = Vec::new();
            for &i in &order {
                let (sent, ends) = jobs[i];
                let id = i as u32;
                if sent > at {
                    want_refused.push(id);
                    continue;
                }
                let end = sent + ends.after();
                match (ends, deadline) {
                    (_, Some(deadline)) if end > deadline => {
                        want.aborted.push(id);
                        want_returned = want_returned.max(deadline);
                    }
                    (Ends::Finishes(_), _) => want.finished.push(id),
                    (Ends::Panics(_), _) => want.panicked.push(id),
                }
                want_returned = want_returned.max(end.min(deadline.unwrap_or(u64::MAX)));
            }
            let case = format!(
                "jobs [{}], {} at {at} ms, a grace period of {}",
                order
                    .iter()
                    .map(|&i| {
                        let (sent, ends) = jobs[i];
                        let does = match ends {
                            Ends::Finishes(0) => "finishes at its first poll".to_string(),
                            Ends::Panics(0) => "panics at its first poll".to_string(),
                            Ends::Finishes(ms) => format!("works {ms} ms"),
                            Ends::Panics(ms) => format!("panics after {ms} ms"),
                        };
                        format!("job({i}) sent at {sent} ms, {does}")
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                if by_token {
                    "the token cancelled"
                } else {
                    "every sender gone"
                },
                match grace {
                    Some(ms) => format!("{ms} ms"),
                    None => "Duration::MAX".to_string(),
                }
            );
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap();
            let timeline = Timeline::new();
            timeline.expect(format!(
                "the shutdown at {at} ms; {}",
                match deadline {
                    Some(deadline) => format!("what still runs at {deadline} ms cut off then"),
                    None => "every job runs to its end".to_string(),
                }
            ));
            let (report, returned, refused, dropped, finished_late) = runtime.block_on(async {
                let start = Instant::now();
                let (tx, rx) = mpsc::channel(64);
                let token = CancellationToken::new();
                let mut made = Vec::new();
                // The sends of each instant, in order, and the shutdown's instant.
                let mut instants: BTreeMap<u64, Vec<Job>> = BTreeMap::from([(at, Vec::new())]);
                for &i in &order {
                    let (job, seen, polled) = generated_job(&timeline, i as u32, jobs[i].1);
                    made.push((i as u32, jobs[i].0, seen, polled));
                    instants.entry(jobs[i].0).or_default().push(job);
                }
                let sender = tokio::spawn({
                    let (token, timeline) = (token.clone(), timeline.clone());
                    async move {
                        let mut tx = Some(tx);
                        let mut refused = Vec::new();
                        for (instant, jobs) in instants {
                            tokio::time::sleep_until(start + Duration::from_millis(instant)).await;
                            // No `.await` that waits between these sends and the shutdown:
                            // the jobs of the shutdown's instant are still in the channel
                            // when it begins.
                            for job in jobs {
                                let id = job.id;
                                match &tx {
                                    Some(tx) if tx.send(job).await.is_ok() => {}
                                    _ => refused.push(id),
                                }
                            }
                            if instant == at {
                                timeline.start("shutdown").end();
                                if by_token {
                                    token.cancel();
                                } else {
                                    tx = None;
                                }
                            }
                        }
                        drop(tx);
                        refused
                    }
                });
                let report = finish(
                    run(
                        rx,
                        token,
                        grace.map_or(Duration::MAX, Duration::from_millis),
                    ),
                    &timeline,
                )
                .await;
                let returned = start.elapsed().as_millis() as u64;
                let dropped: Vec<u32> = made
                    .iter()
                    .filter(|(_, sent, seen, _)| *sent <= at && !seen.dropped())
                    .map(|(id, ..)| *id)
                    .collect();
                let refused = sender.await.expect("the senders' task does not panic");
                let before = made
                    .iter()
                    .map(|(_, _, seen, _)| seen.finished())
                    .collect::<Vec<_>>();
                sleep(Duration::from_secs(3600)).await;
                let finished_late: Vec<u32> = made
                    .iter()
                    .zip(before)
                    .filter(|((_, sent, seen, polled), was)| {
                        (seen.finished() && !was) || (*sent > at && polled.load(Ordering::SeqCst))
                    })
                    .map(|((id, ..), _)| *id)
                    .collect();
                (report, returned, refused, dropped, finished_late)
            });
            let got = (&report, returned, &refused);
            let want = (&want, want_returned, &want_refused);
            prop_assert!(
                got == want,
                "{}: every job sent before the shutdown (or in its very instant) is accepted \
                 and starts at once; the jobs sent after it are refused (the send fails); \
                 the jobs in flight get the grace period, counted from the shutdown for all \
                 of them together, and whatever still runs when it runs out is aborted; the \
                 report lists each job by how it ended, each list in the order the jobs \
                 were accepted (sent); run returns as soon as every job has ended. The \
                 report, when run returned (ms), the jobs refused:\n       run gave: \
                 {:?}\nthe lesson asks: {:?}\n\n{}",
                case,
                got,
                want,
                timeline.render()
            );
            prop_assert!(
                dropped.is_empty() && finished_late.is_empty(),
                "{}: when run returns, every accepted job's future has been dropped (jobs \
             {:?} were not yet), and nothing runs after it: jobs {:?} ran or finished \
             afterwards\n\n{}",
                case,
                dropped,
                finished_late,
                timeline.render()
            );
            Ok(())
        },
    )
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

#[tokio::test(start_paused = true)]
async fn t10_a_job_sent_through_a_slot_reserved_before_the_close_is_accepted() {
    // A sender reserves its slot, the shutdown begins, and the job comes through the
    // slot 10 ms later: the channel is closed, yet not empty, until that slot is used.
    let (tx, rx) = mpsc::channel(4);
    let permit = tx
        .clone()
        .reserve_owned()
        .await
        .expect("the channel is open");
    drop(tx);
    let token = CancellationToken::new();
    let timeline = Timeline::new();
    let running = tokio::spawn(run(rx, token.clone(), GRACE));
    sleep(Duration::from_millis(1)).await;
    token.cancel();
    sleep(Duration::from_millis(10)).await;
    let (job, seen) = quiet_job(7, 20);
    drop(permit.send(job));
    let report = finish(async { running.await.expect("run panicked") }, &timeline).await;
    assert_eq!(
        (report, seen.finished()),
        (
            Report {
                finished: vec![7],
                ..Report::default()
            },
            true
        ),
        "a sender had reserved its slot with `reserve()` before the shutdown and sent its \
         job through it 10 ms after: that job is accepted, run and reported. After \
         `close()`, `recv()` waits for the reserved slots too and gives `None` only once \
         they are used or dropped; `try_recv()` says `Empty` before then, and the job is \
         lost"
    );
}
