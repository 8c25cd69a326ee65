//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `awaits_jobs_one_by_one` (t01): each job is awaited as it is received: one at a time, and nothing is accepted meanwhile
//! - `no_grace_period` (t02): everything still running is aborted the moment the shutdown begins
//! - `sleeps_out_the_grace_period` (t02, t07): `sleep(grace)`, then abort: the grace period is waited out even when every job is done
//! - `tracker_never_closed` (t02, t07): `tracker.wait()` without `tracker.close()`: it waits out the grace period every time
//! - `no_deadline` (t03): `tracker.wait()` with no timeout: a job that never ends keeps `run` for ever
//! - `abort_without_awaiting` (t03): `abort()` and report at once: the aborted jobs have not been dropped yet when `run` returns
//! - `reports_without_aborting` (t03): after the grace period every unfinished job is reported aborted, but left running
//! - `keeps_accepting_during_grace` (t04): the loop keeps receiving until the channel closes: jobs sent during the grace period are still started
//! - `stops_receiving_without_closing` (t04): the loop stops receiving but never closes the channel: a late `send` succeeds and its job is dropped unseen
//! - `unwraps_join_errors` (t05): `handle.await.unwrap()`: a panicking job takes `run` down with it
//! - `every_error_is_an_abort` (t05): every `JoinError` is reported as an abort, the panics too
//!
//! No verdict depends on `select!`'s random choice: no job is sent in the instant the
//! shutdown begins (and if one were, `run` accepts it whichever branch wins).
//!
//! Mutants: cargo-mutants finds 3 and the tests catch all 3. Inside `select!` it mutates
//! nothing: the fixtures stand in for the hand-made mutants there (the token's branch
//! that breaks instead of closing, the branch left out).

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
            panic!("job {id} failed");
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
