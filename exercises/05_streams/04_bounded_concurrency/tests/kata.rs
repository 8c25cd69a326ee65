//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `join_all_without_limit` (t02, t03, t05, t08): `join_all` over every job, no limit at all
//! - `one_job_at_a_time` (t02, t03, t04, t05): awaits the jobs one after the other
//! - `chunks_with_join_all` (t04, t05): chunks of `limit` jobs with `join_all`, a free slot waits for the slowest of its chunk
//! - `unordered_with_buffered` (t04, t05): `buffered` in `run_unordered`, job order, and a slow job keeps its slot
//! - `ordered_with_buffer_unordered` (t06): `buffer_unordered` in `run_ordered`, completion order
//! - `ordered_with_join_all` (t07, t08): `run_ordered` with `join_all`, the right order but no limit
//! - `limit_zero_passed_through` (t08): a limit of 0 passed straight on, no job ever starts
//! - `chunks_of_limit` (t09, t10): `run_ordered` in chunks of `limit` with `join_all`, in order but a free slot waits for its chunk's slowest job
//!
//! Blind answers: 6 tried, 1 passed before this test file caught it (2026-12):
//! `chunks_of_limit`, chunks in `run_ordered` only (the tests timed the unordered one
//! alone). t10 checks both functions over generated jobs and limits.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bounded_concurrency::{run_ordered, run_unordered};
use timeline::Timeline;
use tokio::time::{Instant, sleep};

/// Counts the jobs in flight and remembers the highest count seen; draws each job on
/// its timeline, with the in-flight count against the limit.
struct Gauge {
    now: AtomicUsize,
    peak: AtomicUsize,
    timeline: Timeline,
}

impl Gauge {
    /// A gauge for a run of at most `limit` jobs at a time.
    fn new(limit: usize) -> Gauge {
        let timeline = Timeline::new();
        timeline.limit(limit);
        Gauge {
            now: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            timeline,
        }
    }

    /// A fake job: `(id, seconds)`. It is in flight while it sleeps, and returns its id.
    async fn job(&self, (id, secs): (usize, u64)) -> usize {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let work = self.timeline.start(format!("job {id}"));
        sleep(Duration::from_secs(secs)).await;
        work.end();
        self.now.fetch_sub(1, Ordering::SeqCst);
        id
    }

    fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

/// Jobs numbered 0.. with the given durations in seconds.
fn jobs(secs: &[u64]) -> Vec<(usize, u64)> {
    secs.iter().copied().enumerate().collect()
}

/// A learner's hang becomes a verdict instead of a frozen test (virtual time: instant).
async fn within_an_hour<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(3600), fut)
        .await
        .expect(
            "no result within an hour of virtual time: some job never started or never finished",
        )
}

#[tokio::test(start_paused = true)]
async fn t01_unordered_runs_every_job_once() {
    let gauge = Gauge::new(2);
    let mut ids = within_an_hour(run_unordered(jobs(&[1; 6]), 2, async |j| {
        gauge.job(j).await
    }))
    .await;
    ids.sort();
    assert_eq!(
        ids,
        [0, 1, 2, 3, 4, 5],
        "every job runs, exactly once, and gives one result"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_unordered_never_exceeds_the_limit() {
    let gauge = Gauge::new(2);
    within_an_hour(run_unordered(jobs(&[1; 6]), 2, async |j| {
        gauge.job(j).await
    }))
    .await;
    assert_eq!(
        gauge.peak(),
        2,
        "with limit 2, at most 2 jobs may be in flight, and with 6 jobs waiting the limit \
         should be reached: the peak was {}. More means no limit (join_all); 1 means one \
         at a time\n\n{}",
        gauge.peak(),
        gauge.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_unordered_total_time_matches_the_limit() {
    for (limit, expected) in [(2, 3), (3, 2)] {
        let gauge = Gauge::new(limit);
        let start = Instant::now();
        within_an_hour(run_unordered(jobs(&[1; 6]), limit, async |j| {
            gauge.job(j).await
        }))
        .await;
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(expected),
            "6 jobs of 1s, {limit} at a time, take 6 / {limit} = {expected}s of virtual time; \
             they took {:?}\n\n{}",
            start.elapsed(),
            gauge.timeline.render()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn t04_a_free_slot_is_refilled_at_once() {
    let gauge = Gauge::new(2);
    let start = Instant::now();
    within_an_hour(run_unordered(jobs(&[1, 5, 1, 1]), 2, async |j| {
        gauge.job(j).await
    }))
    .await;
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(5),
        "jobs of 1s, 5s, 1s, 1s with limit 2: while job 1 runs its 5s, the other slot runs \
         jobs 0, 2 and 3 one after the other, all done by 5s. {:?} means a free slot waited \
         for the slow job: batches of 2 with join_all are not a concurrency limit\n\n{}",
        start.elapsed(),
        gauge.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_unordered_yields_in_completion_order() {
    let gauge = Gauge::new(3);
    let ids = within_an_hour(run_unordered(jobs(&[3, 1, 2]), 3, async |j| {
        gauge.job(j).await
    }))
    .await;
    assert_eq!(
        ids,
        [1, 2, 0],
        "jobs 0, 1, 2 take 3s, 1s, 2s: buffer_unordered yields each result as soon as it is \
         ready, so the order is 1, 2, 0\n\n{}",
        gauge.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_ordered_keeps_the_order_of_the_jobs() {
    let gauge = Gauge::new(3);
    let start = Instant::now();
    let ids = within_an_hour(run_ordered(jobs(&[3, 1, 2]), 3, async |j| {
        gauge.job(j).await
    }))
    .await;
    assert_eq!(
        ids,
        [0, 1, 2],
        "run_ordered gives the results in the order of the jobs, whatever order they finish \
         in (buffered, not buffer_unordered)\n\n{}",
        gauge.timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(3),
        "and the jobs still run concurrently: 3s, the slowest\n\n{}",
        gauge.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t07_ordered_never_exceeds_the_limit_either() {
    let gauge = Gauge::new(2);
    let start = Instant::now();
    let ids = within_an_hour(run_ordered(jobs(&[1; 6]), 2, async |j| gauge.job(j).await)).await;
    assert_eq!(
        ids,
        [0, 1, 2, 3, 4, 5],
        "run_ordered gives every result in job order, whatever order they finish in\n\n{}",
        gauge.timeline.render()
    );
    assert_eq!(
        gauge.peak(),
        2,
        "with limit 2, at most 2 jobs in flight (peak: {})\n\n{}",
        gauge.peak(),
        gauge.timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(3),
        "6 jobs of 1s, 2 at a time: 3s\n\n{}",
        gauge.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_a_limit_of_zero_runs_one_at_a_time() {
    let gauge = Gauge::new(1);
    let unordered = within_an_hour(run_unordered(jobs(&[1, 1]), 0, async |j| {
        gauge.job(j).await
    }))
    .await;
    let ordered = within_an_hour(run_ordered(jobs(&[1, 1]), 0, async |j| gauge.job(j).await)).await;
    assert_eq!(
        (unordered.len(), ordered.len(), gauge.peak()),
        (2, 2, 1),
        "a limit of 0 counts as 1: buffer_unordered(0) and buffered(0) never start a job, so \
         the call would hang forever\n\n{}",
        gauge.timeline.render()
    );
}

/// When each job started and ended (virtual ms since the run began), by job id, and the
/// most in flight at once; each job is drawn on `timeline`.
struct Recorder {
    start: Instant,
    times: std::sync::Mutex<Vec<Option<(u64, u64)>>>,
    gauge: Gauge,
}

impl Recorder {
    fn new(jobs: usize, limit: usize) -> Recorder {
        Recorder {
            start: Instant::now(),
            times: std::sync::Mutex::new(vec![None; jobs]),
            gauge: Gauge::new(limit),
        }
    }

    async fn job(&self, (id, secs): (usize, u64)) -> usize {
        let started = self.start.elapsed().as_millis() as u64;
        self.gauge.job((id, secs)).await;
        let ended = self.start.elapsed().as_millis() as u64;
        self.times.lock().unwrap()[id] = Some((started, ended));
        id
    }

    /// `(start, end)` of every job, in ms; `None` for a job that never ran.
    fn times(&self) -> Vec<Option<(u64, u64)>> {
        self.times.lock().unwrap().clone()
    }
}

#[tokio::test(start_paused = true)]
async fn t09_ordered_refills_a_slot_once_the_results_before_it_are_out() {
    let recorder = Recorder::new(5, 2);
    let ids = within_an_hour(run_ordered(jobs(&[1, 5, 1, 1, 1]), 2, async |j| {
        recorder.job(j).await
    }))
    .await;
    assert_eq!(ids, [0, 1, 2, 3, 4], "results in the order of the jobs");
    let times = recorder.times();
    assert_eq!(
        times[2].map(|(start, _)| start),
        Some(1000),
        "jobs of 1s, 5s, 1s, 1s, 1s, limit 2: job 0's result is out at 1s, so its slot \
         takes job 2 at 1s, while job 1 still runs. Job 2 started at {:?} ms: a slot waited \
         for the slowest job of its chunk (chunks of `limit` with join_all are not a \
         window)\n\n{}",
        times[2].map(|(start, _)| start),
        recorder.gauge.timeline.render()
    );
}

/// The schedule `limit` slots give `durations` (seconds) when a job starts as soon as a
/// slot is free: each job's latest fair start, in ms.
fn free_slot_starts(durations: &[u64], limit: usize) -> Vec<u64> {
    let mut ends: Vec<u64> = Vec::new();
    durations
        .iter()
        .map(|secs| {
            let start = if ends.len() < limit {
                0
            } else {
                ends.sort_unstable();
                ends.remove(0)
            };
            ends.push(start + secs * 1000);
            start
        })
        .collect()
}

#[test]
fn t10_any_jobs_any_limit_never_more_in_flight_and_no_idle_slot() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    let config = Config {
        cases: 150,
        rng_seed: RngSeed::Fixed(0x0504),
        failure_persistence: None,
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let cases = (
        proptest::collection::vec(1u64..6, 0..10),
        0usize..5,
        any::<bool>(),
    );
    TestRunner::new(config)
        .run(&cases, |(durations, limit, ordered)| {
            let slots = limit.max(1);
            let (ids, times, peak, drawing) = runtime.block_on(async {
                let recorder = Recorder::new(durations.len(), slots);
                let work = async |j| recorder.job(j).await;
                let ids = if ordered {
                    within_an_hour(run_ordered(jobs(&durations), limit, work)).await
                } else {
                    within_an_hour(run_unordered(jobs(&durations), limit, work)).await
                };
                let drawing = recorder.gauge.timeline.render();
                (ids, recorder.times(), recorder.gauge.peak(), drawing)
            });
            let which = if ordered {
                "run_ordered"
            } else {
                "run_unordered"
            };
            let case = format!("{which} of jobs of {durations:?} s with limit {limit}");
            prop_assert!(
                times.iter().all(Option::is_some) && ids.len() == durations.len(),
                "{}: every job runs once and gives one result; got {:?}\n\n{}",
                case,
                ids,
                drawing
            );
            let times: Vec<(u64, u64)> = times.into_iter().flatten().collect();
            prop_assert!(
                peak <= slots,
                "{}: at most {} in flight, but {} were at once\n\n{}",
                case,
                slots,
                peak,
                drawing
            );
            if ordered {
                prop_assert_eq!(
                    &ids,
                    &(0..durations.len()).collect::<Vec<_>>(),
                    "{}: results in the order of the jobs",
                    case
                );
                for i in slots..durations.len() {
                    let out = times[..=i - slots].iter().map(|t| t.1).max().unwrap_or(0);
                    prop_assert!(
                        times[i].0 <= out,
                        "{}: job {} may start once jobs 0 to {} are out, at {} ms, but it \
                         started at {} ms: a slot sat idle\n\n{}",
                        case,
                        i,
                        i - slots,
                        out,
                        times[i].0,
                        drawing
                    );
                }
            } else {
                let fair = free_slot_starts(&durations, slots);
                for (i, (&(start, _), latest)) in times.iter().zip(fair).enumerate() {
                    prop_assert!(
                        start <= latest,
                        "{}: job {} should start as soon as a slot is free, at {} ms, but it \
                         started at {} ms\n\n{}",
                        case,
                        i,
                        latest,
                        start,
                        drawing
                    );
                }
                let ends: Vec<u64> = ids.iter().map(|&id| times[id].1).collect();
                prop_assert!(
                    ends.is_sorted(),
                    "{}: results in the order the jobs finish; got jobs {:?}, which ended at \
                     {:?} ms\n\n{}",
                    case,
                    ids,
                    ends,
                    drawing
                );
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
