//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `fetch_both_one_after_the_other` (t01, t02, t03): `(a.await?, b.await?)`, sequential, and the error of `a` even when `b` failed first
//! - `fetch_both_join_then_question` (t02, t03): `join!` then `?` on each, waits for the slow sibling, errors by position
//! - `fetch_all_one_by_one` (t04): awaits the jobs one after the other
//! - `fetch_all_completion_order` (t04): a `FuturesUnordered`, results in completion order
//! - `fetch_all_try_join_all` (t04): `try_join_all`, the first error hides every other result
//! - `join_task_unwrap` (t06, t07): `handle.await.unwrap()`, a task's panic or abort panics the caller
//! - `join_task_resumes_the_panic` (t06, t07): `resume_unwind(e.into_panic())`, and a panic on an abort
//! - `spawn_all_completion_order` (t08): values in the order the tasks finish
//! - `spawn_all_handles_in_order` (t09, t10): awaits the handles in job order, the first error comes late and the rest run on
//! - `spawn_all_try_join_all_handles` (t09, t10): `try_join_all` over plain `JoinHandle`s, the other tasks run on, detached
//! - `spawn_all_spawns_one_at_a_time` (t08, t09): spawns a job, awaits it, then spawns the next
//! - `spawn_all_resumes_a_panic` (t10): resumes a job's panic instead of returning `AppError::Task`
//!
//! Blind answers: 7 tried, 0 passed before this test file (2026-12).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use partial_failure::{AppError, fetch_all, fetch_both, join_task, spawn_all};
use timeline::Timeline;
use tokio::time::{Instant, sleep};

/// What a fake job does once its delay has passed.
#[derive(Clone, Copy)]
enum Outcome {
    Value(u32),
    Fail(&'static str),
    Panic,
}

/// Counts jobs that ran to the end and jobs that were dropped (finished or cancelled),
/// and draws each job on a timeline: from its first poll to its outcome, or cut off
/// where its future was dropped unfinished.
#[derive(Default)]
struct Probe {
    finished: AtomicUsize,
    dropped: AtomicUsize,
    timeline: Timeline,
}

struct DropGuard(Arc<Probe>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.dropped.fetch_add(1, Ordering::SeqCst);
    }
}

fn probe() -> Arc<Probe> {
    Arc::new(Probe::default())
}

/// A fake call: after `ms` of virtual time, gives `outcome`. Drawn on the probe's
/// timeline as what it would give and when (`Err(users) at 1000 ms`).
fn job(
    probe: &Arc<Probe>,
    ms: u64,
    outcome: Outcome,
) -> impl Future<Output = Result<u32, AppError>> + Send + 'static {
    let probe = probe.clone();
    let label = match outcome {
        Outcome::Value(v) => format!("Ok({v}) at {ms} ms"),
        Outcome::Fail(service) => format!("Err({service}) at {ms} ms"),
        Outcome::Panic => format!("panic at {ms} ms"),
    };
    async move {
        let _guard = DropGuard(probe.clone());
        let span = probe.timeline.start(label);
        sleep(Duration::from_millis(ms)).await;
        span.end();
        probe.finished.fetch_add(1, Ordering::SeqCst);
        match outcome {
            Outcome::Value(v) => Ok(v),
            Outcome::Fail(service) => Err(AppError::Unavailable { service }),
            Outcome::Panic => panic!("job crashed (a panic the test caused on purpose)"),
        }
    }
}

/// A learner's hang becomes a verdict instead of a frozen test (virtual time: instant).
async fn within_an_hour<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(3600), fut)
        .await
        .expect("no result within an hour of virtual time: something waits forever")
}

#[tokio::test(start_paused = true)]
async fn t01_fetch_both_runs_both_at_once() {
    let p = probe();
    p.timeline
        .expect("concurrent: both calls from 0 ms, 2000 ms in all (the slower one)");
    let start = Instant::now();
    let result = within_an_hour(fetch_both(
        job(&p, 1000, Outcome::Value(1)),
        job(&p, 2000, Outcome::Value(2)),
    ))
    .await;
    assert!(
        matches!(result, Ok((1, 2))),
        "both calls succeeded: Ok((1, 2)), got {result:?}"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(2),
        "calls of 1s and 2s took {:?} of virtual time: run concurrently they take 2s, the \
         slower one (try_join! polls both on this task)\n\n{}",
        start.elapsed(),
        p.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_fetch_both_fails_fast_and_cancels_the_sibling() {
    let p = probe();
    p.timeline
        .expect("both from 0 ms; Err(users) ends the pair at 1000 ms and Ok(2) is cut off then");
    let start = Instant::now();
    let result = within_an_hour(fetch_both(
        job(&p, 1000, Outcome::Fail("users")),
        job(&p, 5000, Outcome::Value(2)),
    ))
    .await;
    assert!(
        matches!(result, Err(AppError::Unavailable { service: "users" })),
        "the users call failed: that is the result, got {result:?}"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "the failure came at 1s but fetch_both returned at {:?}: once one side has failed \
         the pair cannot succeed, so waiting for the 5s sibling is wasted time\n\n{}",
        start.elapsed(),
        p.timeline.render()
    );
    assert_eq!(
        (
            p.finished.load(Ordering::SeqCst),
            p.dropped.load(Ordering::SeqCst)
        ),
        (1, 2),
        "the slow sibling must be dropped unfinished: try_join! cancels the others when one \
         fails\n\n{}",
        p.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_fetch_both_reports_the_first_failure_in_time() {
    let p = probe();
    p.timeline.expect(
        "both from 0 ms; Err(posts) ends the pair at 1000 ms and Err(users) is cut off then",
    );
    let start = Instant::now();
    let result = within_an_hour(fetch_both(
        job(&p, 3000, Outcome::Fail("users")),
        job(&p, 1000, Outcome::Fail("posts")),
    ))
    .await;
    assert!(
        matches!(result, Err(AppError::Unavailable { service: "posts" })),
        "posts failed at 1s, users would have failed at 3s: the first error in time wins, \
         not the first argument. Got {result:?}\n\n{}",
        p.timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "and it is returned at 1s\n\n{}",
        p.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_fetch_all_waits_for_every_job_and_keeps_their_order() {
    let p = probe();
    p.timeline
        .expect("all three from 0 ms, each to its own end, failure included: 2000 ms in all");
    let start = Instant::now();
    let jobs = [
        job(&p, 1000, Outcome::Value(1)),
        job(&p, 500, Outcome::Fail("posts")),
        job(&p, 2000, Outcome::Value(3)),
    ];
    let results = within_an_hour(fetch_all(jobs)).await;
    let summary: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(v) => format!("Ok({v})"),
            Err(e) => format!("Err({e})"),
        })
        .collect();
    assert_eq!(
        summary,
        ["Ok(1)", "Err(posts is unavailable)", "Ok(3)"],
        "one result per job, in the order of the jobs: the failure of job 2 must not hide \
         the successes of jobs 1 and 3 (join_all, not try_join_all)\n\n{}",
        p.timeline.render()
    );
    assert_eq!(
        p.finished.load(Ordering::SeqCst),
        3,
        "every job runs to the end\n\n{}",
        p.timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(2),
        "jobs of 1s, 0.5s and 2s took {:?}: concurrently they take 2s\n\n{}",
        start.elapsed(),
        p.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_join_task_returns_the_tasks_own_result() {
    let p = probe();
    let ok = within_an_hour(join_task(tokio::spawn(job(&p, 100, Outcome::Value(7))))).await;
    assert!(matches!(ok, Ok(7)), "the task returned Ok(7), got {ok:?}");
    let failed = within_an_hour(join_task(tokio::spawn(job(
        &p,
        100,
        Outcome::Fail("search"),
    ))))
    .await;
    assert!(
        matches!(failed, Err(AppError::Unavailable { service: "search" })),
        "the task ran to the end and returned its own error: pass it on as it is, it is \
         not a task failure. Got {failed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_join_task_maps_a_panic_into_the_error_type() {
    let p = probe();
    let handle = tokio::spawn(job(&p, 100, Outcome::Panic));
    // join_task runs in a task of its own, so that if it panics, the test can say so.
    let outcome = within_an_hour(tokio::spawn(join_task(handle))).await;
    let result = outcome.expect(
        "join_task itself panicked: awaiting a JoinHandle gives Err(JoinError) when the task \
         panicked; map it into AppError::Task instead of unwrapping it",
    );
    assert!(
        matches!(&result, Err(AppError::Task(e)) if e.is_panic()),
        "a panicking task surfaces as Err(JoinError) with is_panic(): #[from] makes `?` turn \
         it into AppError::Task. Got {result:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_join_task_maps_an_abort_into_the_error_type() {
    let p = probe();
    let handle = tokio::spawn(job(&p, 10_000, Outcome::Value(1)));
    handle.abort();
    let outcome = within_an_hour(tokio::spawn(join_task(handle))).await;
    let result =
        outcome.expect("join_task itself panicked on an aborted task: map the JoinError instead");
    assert!(
        matches!(&result, Err(AppError::Task(e)) if e.is_cancelled()),
        "an aborted task surfaces as a JoinError with is_cancelled(): it becomes \
         AppError::Task too. Got {result:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_spawn_all_keeps_the_order_of_the_jobs() {
    let p = probe();
    p.timeline
        .expect("all three tasks from 0 ms, 3000 ms in all (the slowest)");
    let start = Instant::now();
    let jobs = [
        job(&p, 3000, Outcome::Value(1)),
        job(&p, 1000, Outcome::Value(2)),
        job(&p, 2000, Outcome::Value(3)),
    ];
    let result = within_an_hour(spawn_all(jobs)).await;
    assert!(
        matches!(result.as_deref(), Ok([1, 2, 3])),
        "the tasks finished in the order 2, 3, 1, but the values come back in the order of \
         the jobs: [1, 2, 3]. Got {result:?}\n\n{}",
        p.timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(3),
        "spawned tasks run concurrently: 3s, the slowest\n\n{}",
        p.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t09_spawn_all_aborts_the_other_tasks_on_the_first_error() {
    let p = probe();
    p.timeline
        .expect("all three from 0 ms; Err(billing) at 1000 ms, and both Ok tasks are cut off then");
    let start = Instant::now();
    let jobs = [
        job(&p, 5000, Outcome::Value(1)),
        job(&p, 1000, Outcome::Fail("billing")),
        job(&p, 5000, Outcome::Value(3)),
    ];
    let result = within_an_hour(spawn_all(jobs)).await;
    assert!(
        matches!(result, Err(AppError::Unavailable { service: "billing" })),
        "job 2 failed: that is the result, got {result:?}"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "the first error is returned when it happens, at 1s\n\n{}",
        p.timeline.render()
    );

    sleep(Duration::from_secs(10)).await;
    assert_eq!(
        p.finished.load(Ordering::SeqCst),
        1,
        "the other tasks ran on to the end after spawn_all had returned its error: a spawned \
         task is not cancelled when its JoinHandle is dropped. Abort them (dropping a \
         JoinSet aborts all its tasks)\n\n{}",
        p.timeline.render()
    );
    assert_eq!(
        p.dropped.load(Ordering::SeqCst),
        3,
        "every job's future is dropped once its task is aborted\n\n{}",
        p.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t10_spawn_all_maps_a_panicking_job_and_aborts_the_rest() {
    let p = probe();
    p.timeline
        .expect("both from 0 ms; the panic at 1000 ms, and Ok(2) is cut off then");
    let jobs = [
        job(&p, 1000, Outcome::Panic),
        job(&p, 5000, Outcome::Value(2)),
    ];
    let outcome = within_an_hour(tokio::spawn(spawn_all(jobs))).await;
    let result =
        outcome.expect("spawn_all itself panicked: a job's panic must become AppError::Task");
    assert!(
        matches!(&result, Err(AppError::Task(e)) if e.is_panic()),
        "a job panicked: its task's JoinError becomes AppError::Task. Got {result:?}"
    );
    sleep(Duration::from_secs(10)).await;
    assert_eq!(
        p.finished.load(Ordering::SeqCst),
        1,
        "the other task must be aborted, not left running\n\n{}",
        p.timeline.render()
    );
}

/// Services a generated job may fail with.
const SERVICES: [&str; 8] = ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"];

#[test]
fn t11_any_jobs_every_result_in_order_or_the_first_error_in_time() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    // Up to 8 jobs, each a value or a failure, ending at distinct instants (no ties:
    // "first in time" is then one job).
    let cases = proptest::collection::vec((1u64..40, any::<bool>()), 0..8);
    TestRunner::new(Config {
        cases: 150,
        rng_seed: RngSeed::Fixed(0x0404),
        failure_persistence: None,
        ..Config::default()
    })
    .run(&cases, |specs| {
        let jobs: Vec<(u64, Outcome)> = specs
            .iter()
            .enumerate()
            .map(|(i, &(at, ok))| {
                let ms = at * 100 + i as u64;
                let outcome = if ok {
                    Outcome::Value(i as u32)
                } else {
                    Outcome::Fail(SERVICES[i])
                };
                (ms, outcome)
            })
            .collect();
        let describe = |jobs: &[(u64, Outcome)]| {
            jobs.iter()
                .map(|(ms, outcome)| match outcome {
                    Outcome::Value(v) => format!("Ok({v}) at {ms} ms"),
                    Outcome::Fail(s) => format!("Err({s}) at {ms} ms"),
                    Outcome::Panic => format!("panic at {ms} ms"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let last = jobs.iter().map(|j| j.0).max().unwrap_or(0);
        let first_failure = jobs
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Fail(_)))
            .min_by_key(|(ms, _)| *ms)
            .copied();

        // fetch_all: every job to its end, every result in job order.
        let p = probe();
        let (results, took) = runtime.block_on(async {
            let start = Instant::now();
            let futures: Vec<_> = jobs.iter().map(|&(ms, o)| job(&p, ms, o)).collect();
            let results = within_an_hour(fetch_all(futures)).await;
            (results, start.elapsed())
        });
        let want: Vec<String> = jobs
            .iter()
            .map(|(_, o)| match o {
                Outcome::Value(v) => format!("Ok({v})"),
                Outcome::Fail(s) => format!("Err({s})"),
                Outcome::Panic => unreachable!(),
            })
            .collect();
        let got: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(v) => format!("Ok({v})"),
                Err(AppError::Unavailable { service }) => format!("Err({service})"),
                Err(other) => format!("Err({other})"),
            })
            .collect();
        prop_assert_eq!(
            (&got, took),
            (&want, Duration::from_millis(last)),
            "fetch_all of [{}]: every job runs to its end, at once, and the results come \
             back in job order, when the last job ends\n\n{}",
            describe(&jobs),
            p.timeline.render()
        );

        // spawn_all: all values in job order, or the first error in time, the rest aborted.
        let p = probe();
        let (result, took, finished, dropped) = runtime.block_on(async {
            let start = Instant::now();
            let futures: Vec<_> = jobs.iter().map(|&(ms, o)| job(&p, ms, o)).collect();
            let result = within_an_hour(spawn_all(futures)).await;
            let took = start.elapsed();
            sleep(Duration::from_secs(10)).await;
            (
                result,
                took,
                p.finished.load(Ordering::SeqCst),
                p.dropped.load(Ordering::SeqCst),
            )
        });
        let got = match &result {
            Ok(values) => format!("Ok({values:?})"),
            Err(AppError::Unavailable { service }) => format!("Err({service})"),
            Err(other) => format!("Err({other})"),
        };
        let (want, at, want_finished) = match first_failure {
            None => (
                format!("Ok({:?})", (0..jobs.len() as u32).collect::<Vec<_>>()),
                last,
                jobs.len(),
            ),
            Some((ms, Outcome::Fail(service))) => (
                format!("Err({service})"),
                ms,
                jobs.iter().filter(|j| j.0 <= ms).count(),
            ),
            Some(_) => unreachable!(),
        };
        prop_assert_eq!(
            (&got, took, finished, dropped),
            (&want, Duration::from_millis(at), want_finished, jobs.len()),
            "spawn_all of [{}]: every value in job order when all succeed, else the first \
             error in time, returned when it happens; then every other task is aborted, so \
             no job finishes after that and every job's future is dropped\n\n{}",
            describe(&jobs),
            p.timeline.render()
        );
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
