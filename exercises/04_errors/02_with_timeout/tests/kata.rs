//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `awaits_then_checks_the_clock` (t04, t05, t06): awaits the future to the end, then compares the elapsed time with the limit
//! - `every_error_becomes_timeout` (t02): anything but `Ok(Ok(v))` becomes `Timeout`, the upstream's own error is lost
//! - `seed_hard_coded_deadline` (t04, t05, t06): the seed's hard-coded 5 s instead of `limit`
//! - `expect_on_elapsed` (t04, t05, t06): `.expect()` on the `Elapsed` error, a timeout panics
//! - `sleeps_out_the_limit` (t01, t04, t05, t06): `join!` of the future and `sleep(limit)`, a fast result waits out the limit

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
