//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `awaits_then_checks_the_clock` (t04, t05, t06): awaits the future to the end, then compares the elapsed time with the limit
//! - `every_error_becomes_timeout` (t02): anything but `Ok(Ok(v))` becomes `Timeout`, the upstream's own error is lost
//! - `seed_hard_coded_deadline` (t04, t05, t06): the seed's hard-coded 5 s instead of `limit`
//! - `expect_on_elapsed` (t04, t05, t06): `.expect()` on the `Elapsed` error, a timeout panics
//! - `sleeps_out_the_limit` (t01, t04, t05, t06): `join!` of the future and `sleep(limit)`, a fast result waits out the limit
//! - `timer_wins_tie` (t07, t08, t09): a `biased` `select!` with the deadline first, an answer at the deadline itself is lost
//! - `zero_limit_never_polls` (t08, t09): a zero limit returns `Timeout` without polling a future that was ready
//!
//! Blind answers: 5 tried, 2 passed before this test file caught them (2026-12):
//! `timer_wins_tie` and `zero_limit_never_polls`, both on the tie at the deadline, which
//! the lesson then called tokio's detail "not to build on"; it is now the promise (t07–t09).

use std::future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use timeline::Timeline;
use tokio::time::{Instant, sleep};
use tokio_test::{assert_pending, assert_ready, task};
use with_timeout::{FetchError, with_timeout};

const LIMIT: Duration = Duration::from_secs(2);

/// A fake upstream call: answers `answer` after `delay` of virtual time, drawn on
/// `timeline` (cut off if dropped before).
async fn upstream(
    timeline: &Timeline,
    delay: Duration,
    answer: Result<u32, FetchError>,
) -> Result<u32, FetchError> {
    timeline.run("upstream", sleep(delay)).await;
    answer
}

/// Sets its flag when dropped: proves a future was cancelled.
struct DropGuard(Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A learner's hang becomes a verdict instead of a frozen test (virtual time: instant).
async fn within_an_hour<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(3600), fut)
        .await
        .expect("with_timeout never returned, even an hour of virtual time later: it must give up at the deadline")
}

#[tokio::test(start_paused = true)]
async fn t01_a_fast_result_passes_through_without_waiting() {
    let timeline = Timeline::new();
    timeline.expect("upstream answers at 500 ms, and with_timeout returns then");
    let start = Instant::now();
    let result = within_an_hour(with_timeout(
        LIMIT,
        upstream(&timeline, Duration::from_millis(500), Ok(7)),
    ))
    .await;
    assert_eq!(
        result,
        Ok(7),
        "the upstream answered Ok(7) well before the deadline\n\n{}",
        timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(500),
        "the answer came after 500ms, so with_timeout returns after 500ms of virtual time: a \
         timeout races the future against a timer, it does not wait out the limit\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_an_upstream_error_in_time_is_not_a_timeout() {
    let timeline = Timeline::new();
    let failing = upstream(
        &timeline,
        Duration::from_millis(500),
        Err(FetchError::Upstream("HTTP 500".into())),
    );
    let result = within_an_hour(with_timeout(LIMIT, failing)).await;
    assert_eq!(
        result,
        Err(FetchError::Upstream("HTTP 500".into())),
        "the upstream failed on its own before the deadline: its error is returned unchanged. \
         Only the outer layer of tokio::time::timeout (Elapsed) becomes FetchError::Timeout"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_a_result_just_before_the_deadline_counts() {
    let timeline = Timeline::new();
    let just_in_time = upstream(&timeline, LIMIT - Duration::from_millis(1), Ok(1));
    let result = within_an_hour(with_timeout(LIMIT, just_in_time)).await;
    assert_eq!(
        result,
        Ok(1),
        "the upstream answered 1ms before the {LIMIT:?} limit: that is in time"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_a_slow_future_fails_at_the_deadline() {
    let timeline = Timeline::new();
    timeline.expect("upstream cut off at the 2000 ms deadline");
    let start = Instant::now();
    let slow = upstream(&timeline, Duration::from_secs(10), Ok(1));
    let result = within_an_hour(with_timeout(LIMIT, slow)).await;
    assert_eq!(
        result,
        Err(FetchError::Timeout(LIMIT)),
        "the upstream needs 10s and the limit is {LIMIT:?}: the result is \
         FetchError::Timeout carrying the limit\n\n{}",
        timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        LIMIT,
        "the timeout error must come at the deadline ({LIMIT:?} of virtual time), not when \
         the slow future would have finished: do not await it to the end and look at the \
         clock afterwards\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_future_that_never_finishes_still_times_out() {
    let timeline = Timeline::new();
    timeline.expect("upstream cut off at the 2000 ms deadline");
    let start = Instant::now();
    let result = within_an_hour(with_timeout(
        LIMIT,
        timeline.run("upstream", future::pending::<Result<u32, FetchError>>()),
    ))
    .await;
    assert_eq!(
        result,
        Err(FetchError::Timeout(LIMIT)),
        "a future that never completes is exactly what a timeout is for\n\n{}",
        timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        LIMIT,
        "and it gives up at the deadline\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_the_inner_future_is_dropped_at_the_deadline() {
    let timeline = Timeline::new();
    timeline.expect("upstream cut off at the 2000 ms deadline");
    let dropped = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let inner = {
        let (dropped, finished) = (dropped.clone(), finished.clone());
        let timeline = timeline.clone();
        async move {
            let _guard = DropGuard(dropped);
            timeline
                .run("upstream", sleep(Duration::from_secs(10)))
                .await;
            finished.store(true, Ordering::SeqCst);
            Ok(1)
        }
    };
    let mut call = task::spawn(with_timeout(LIMIT, inner));

    assert_pending!(call.poll(), "nothing is ready at time zero");
    tokio::time::advance(LIMIT - Duration::from_millis(1)).await;
    assert_pending!(
        call.poll(),
        "1ms before the deadline, the call is still waiting"
    );
    assert!(
        !dropped.load(Ordering::SeqCst),
        "before the deadline the inner future is still alive\n\n{}",
        timeline.render()
    );

    tokio::time::advance(Duration::from_millis(1)).await;
    assert!(
        call.is_woken(),
        "the deadline timer must wake the task\n\n{}",
        timeline.render()
    );
    let result = assert_ready!(call.poll(), "at the deadline the call is ready");
    assert_eq!(
        result,
        Err(FetchError::Timeout(LIMIT)),
        "at the deadline the result is Err(FetchError::Timeout(limit)), carrying the \
         {LIMIT:?} limit\n\n{}",
        timeline.render()
    );
    assert!(
        dropped.load(Ordering::SeqCst),
        "at the deadline the inner future must be dropped: in Rust, cancelling a future \
         means dropping it, and nothing of it runs again\n\n{}",
        timeline.render()
    );

    tokio::time::advance(Duration::from_secs(20)).await;
    assert!(
        !finished.load(Ordering::SeqCst),
        "the inner future kept running after the timeout and finished its work anyway\n\n{}",
        timeline.render()
    );
}

/// Every instant that matters around the deadline: the answer comes at once, just
/// before, exactly at, just after, or long after `limit`.
fn around(limit: Duration) -> Vec<Duration> {
    let ms = Duration::from_millis(1);
    let mut delays = vec![Duration::ZERO, ms, limit, limit + ms, limit * 2 + ms];
    if limit >= ms {
        delays.push(limit - ms);
    }
    delays
}

/// One call of `with_timeout(limit, …)` on an upstream that answers `answer` after
/// `delay`: what it returned, when, and whether the upstream was cut off.
async fn one_call(
    limit: Duration,
    delay: Duration,
    answer: Result<u32, FetchError>,
) -> (Result<u32, FetchError>, Duration, bool, Timeline) {
    let timeline = Timeline::new();
    let dropped = Arc::new(AtomicBool::new(false));
    let inner = {
        let (dropped, timeline) = (dropped.clone(), timeline.clone());
        async move {
            let guard = DropGuard(dropped);
            if !delay.is_zero() {
                timeline.run("upstream", sleep(delay)).await;
            }
            std::mem::forget(guard);
            answer
        }
    };
    let start = Instant::now();
    let result = within_an_hour(with_timeout(limit, inner)).await;
    (
        result,
        start.elapsed(),
        dropped.load(Ordering::SeqCst),
        timeline,
    )
}

/// What the lesson promises for an answer `answer` after `delay`, with a `limit`: `Err`
/// says how the call broke it.
async fn check_one_call(
    limit: Duration,
    delay: Duration,
    answer: Result<u32, FetchError>,
) -> Result<(), String> {
    let (result, took, cut_off, timeline) = one_call(limit, delay, answer.clone()).await;
    if delay <= limit {
        if (&result, took, cut_off) == (&answer, delay, false) {
            return Ok(());
        }
        Err(format!(
            "limit {limit:?}, the upstream answers {answer:?} after {delay:?}: that is in \
             time (an answer at the deadline itself wins: the future is polled before the \
             timer), so with_timeout returns it unchanged, at {delay:?}, without cutting \
             the upstream off; it returned {result:?} after {took:?}\n\n{}",
            timeline.render()
        ))
    } else {
        if (&result, took, cut_off) == (&Err(FetchError::Timeout(limit)), limit, true) {
            return Ok(());
        }
        Err(format!(
            "limit {limit:?}, the upstream would answer after {delay:?}: with_timeout gives \
             up at the deadline, {limit:?}, with Err(Timeout({limit:?})), having dropped \
             the upstream; it returned {result:?} after {took:?} (upstream dropped: \
             {cut_off})\n\n{}",
            timeline.render()
        ))
    }
}

#[tokio::test(start_paused = true)]
async fn t07_an_answer_at_the_deadline_itself_is_in_time() {
    // Every interesting instant around the deadline, for an Ok and an Err answer.
    for delay in around(LIMIT) {
        for answer in [Ok(5), Err(FetchError::Upstream("HTTP 503".into()))] {
            if let Err(broken) = check_one_call(LIMIT, delay, answer).await {
                panic!("{broken}");
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn t08_a_zero_limit_still_polls_the_future_once() {
    // A future ready at its first poll beats even a zero limit: it is polled first.
    let (result, took, _, _) = one_call(Duration::ZERO, Duration::ZERO, Ok(9)).await;
    assert_eq!(
        (result, took),
        (Ok(9), Duration::ZERO),
        "with a limit of zero, a future that is ready at its first poll is still in time: \
         with_timeout polls the future before it looks at the deadline"
    );
    for delay in around(Duration::ZERO) {
        if let Err(broken) = check_one_call(Duration::ZERO, delay, Ok(9)).await {
            panic!("{broken}");
        }
    }
    // The longest limit there is: no deadline can be computed by adding it to now.
    let (result, took, _, _) = one_call(Duration::MAX, Duration::from_millis(500), Ok(1)).await;
    assert_eq!(
        (result, took),
        (Ok(1), Duration::from_millis(500)),
        "a limit of Duration::MAX means no deadline in practice: the answer after 500 ms is \
         returned (`Instant::now() + Duration::MAX` overflows; tokio's timeout and sleep \
         handle it)"
    );
}

#[test]
fn t09_any_delay_any_limit_the_answer_or_the_timeout_at_the_right_instant() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    let config = Config {
        cases: 200,
        rng_seed: RngSeed::Fixed(0x0402),
        failure_persistence: None,
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    // Zero and the deadline itself are drawn often: they are where answers go wrong.
    let ms = || prop_oneof![Just(0u64), 0u64..3000];
    let cases = (ms(), ms(), any::<bool>()).prop_flat_map(|(delay, limit, ok)| {
        (prop_oneof![Just(delay), Just(limit)], Just(limit), Just(ok))
    });
    TestRunner::new(config)
        .run(&cases, |(delay_ms, limit_ms, ok)| {
            let answer = if ok {
                Ok(7)
            } else {
                Err(FetchError::Upstream("HTTP 500".into()))
            };
            let (limit, delay) = (
                Duration::from_millis(limit_ms),
                Duration::from_millis(delay_ms),
            );
            runtime
                .block_on(check_one_call(limit, delay, answer))
                .map_err(TestCaseError::fail)
        })
        .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
