//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `requires_unpin` (tests/kata.rs): `impl<F: Future + Unpin>` with `Pin::new(&mut self.inner)` and a boxed `Sleep`: an `async` block is `!Unpin`, so no test compiles
//! - `checks_the_clock` (t02, t03): compares `Instant::now()` with the deadline instead of polling the `Sleep`: nothing wakes the task at the deadline
//! - `sleep_polled_first` (t04): polls the timer before the inner future: a future ready at the deadline is reported late
//! - `deadline_from_first_poll` (t05): creates the `Sleep` on the first poll: the clock starts late
//! - `reset_stores_a_number` (t06): `reset` writes a deadline field that `poll` compares, but the `Sleep` still fires at the old deadline
//! - `keepalive_ignored` (t07): `with_keepalive` is a plain `Timeout::new(work, idle)`
//! - `keepalive_from_the_old_deadline` (t08): each keepalive adds `idle` to the old deadline instead of to now
//! - `closed_channel_times_out` (t09): a closed keepalive channel is taken as a timeout
//!
//! Mutants: cargo-mutants finds 7, 6 of them unviable (a `Default` future or `Instant`
//! does not exist); the one viable is caught. Inside `select!` it mutates nothing: the
//! fixtures `keepalive_from_the_old_deadline` and `closed_channel_times_out` stand in.
//!
//! Every inner future here is an `async` block, so `!Unpin`: a `Timeout` that asks for
//! `F: Unpin` does not compile against these tests, and that is the lesson of t01.

use std::cell::Cell;
use std::pin::pin;
use std::rc::Rc;
use std::time::Duration;

use pin_projection::{Elapsed, Timeout, with_keepalive};
use tokio::sync::mpsc;
use tokio::time::{Instant, advance, sleep};
use tokio_test::{assert_pending, assert_ready};

/// Long enough in virtual time that only a future nobody wakes reaches it.
const FOREVER: Duration = Duration::from_secs(3600);

const LIMIT: Duration = Duration::from_millis(50);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Sets its flag when dropped, however the future holding it ends.
struct DropGuard(Rc<Cell<bool>>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// An `async` block (so `!Unpin`) that answers `value` after `delay`.
async fn work(value: u32, delay: Duration) -> u32 {
    sleep(delay).await;
    value
}

/// Awaits `fut`, failing the test if it has not finished within an hour of virtual
/// time: a future that nothing ever wakes.
async fn finish<T>(fut: impl Future<Output = T>, what: &str) -> (T, Duration) {
    let start = Instant::now();
    let output = tokio::time::timeout(FOREVER, fut)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "{what} never finished: the task was never woken again. A future that returns \
             `Pending` must have registered a wake-up first (here: by polling the `Sleep`)"
            )
        });
    (output, start.elapsed())
}

#[tokio::test(start_paused = true)]
async fn t01_an_async_block_that_finishes_in_time_wins() {
    let (result, took) = finish(Timeout::new(work(7, ms(30)), LIMIT), "the Timeout").await;
    assert_eq!(
        result,
        Ok(7),
        "the inner future answered after 30 ms, inside the 50 ms limit: Ok(7)"
    );
    assert_eq!(
        took,
        ms(30),
        "the answer is given as soon as the inner future has it, at 30 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_a_slow_future_fails_at_the_deadline_and_is_dropped() {
    let dropped = Rc::new(Cell::new(false));
    let guard = DropGuard(dropped.clone());
    let slow = async move {
        let _guard = guard;
        work(7, ms(200)).await
    };
    let (result, took) = finish(Timeout::new(slow, LIMIT), "the Timeout").await;
    assert_eq!(
        result,
        Err(Elapsed),
        "the inner future needs 200 ms, the limit is 50 ms"
    );
    assert_eq!(
        took,
        ms(50),
        "the failure must come at the deadline, 50 ms; it came at {took:?}: the task was \
         only polled again when the inner future woke it. Polling the `Sleep` is what asks \
         the timer to wake the task at the deadline"
    );
    assert!(
        dropped.get(),
        "once the Timeout has given up and is dropped, the inner future must be dropped with it"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_a_future_that_never_wakes_still_times_out() {
    let (result, took) = finish(
        Timeout::new(std::future::pending::<u32>(), LIMIT),
        "a Timeout over a future that never wakes",
    )
    .await;
    assert_eq!(
        (result, took),
        (Err(Elapsed), LIMIT),
        "`pending()` never wakes anyone: only the timer can end this, at 50 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_ready_at_the_deadline_counts_as_in_time() {
    let (result, took) = finish(Timeout::new(work(7, LIMIT), LIMIT), "the Timeout").await;
    assert_eq!(
        (result, took),
        (Ok(7), LIMIT),
        "the inner future and the timer are both ready at 50 ms: poll the inner future \
         first, so that work that did finish in time is not thrown away (tokio's own \
         `timeout` does the same)"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_the_clock_starts_when_the_timeout_is_created() {
    let start = Instant::now();
    let timeout = Timeout::new(work(7, ms(30)), LIMIT);
    assert_eq!(
        timeout.deadline(),
        start + LIMIT,
        "deadline() is creation time + limit"
    );
    advance(ms(40)).await;
    let (result, _) = finish(timeout, "the Timeout").await;
    assert_eq!(
        (result, start.elapsed()),
        (Err(Elapsed), LIMIT),
        "the Timeout was created at 0 ms with a 50 ms limit and first polled at 40 ms; its \
         inner future needs 30 ms from then, past the deadline: Err at 50 ms. A timer \
         created on the first poll starts the clock 40 ms late"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_reset_moves_a_deadline_that_is_already_registered() {
    let start = Instant::now();
    let mut timeout = tokio_test::task::spawn(Timeout::new(std::future::pending::<u32>(), LIMIT));
    assert_pending!(timeout.poll(), "nothing is ready at 0 ms");
    timeout.enter(|_, timeout| timeout.reset(start + ms(80)));
    assert_eq!(
        timeout.enter(|_, timeout| timeout.deadline()),
        start + ms(80),
        "deadline() reports the deadline set by reset"
    );
    advance(ms(60)).await;
    assert_pending!(
        timeout.poll(),
        "at 60 ms the old deadline (50 ms) has passed, but reset moved it to 80 ms: still \
         pending. A deadline kept beside the `Sleep` does not move the `Sleep` itself: \
         reset it through the projection, `self.project().sleep.reset(..)`"
    );
    advance(ms(20)).await;
    assert!(
        timeout.is_woken(),
        "at 80 ms, the new deadline, the timer must wake the task"
    );
    assert_eq!(assert_ready!(timeout.poll()), Err(Elapsed));

    let mut early = tokio_test::task::spawn(Timeout::new(std::future::pending::<u32>(), LIMIT));
    assert_pending!(early.poll());
    early.enter(|_, early| early.reset(Instant::now() + ms(10)));
    advance(ms(10)).await;
    assert!(
        early.is_woken(),
        "a deadline reset to an earlier instant wakes the task at that instant"
    );
    assert_eq!(assert_ready!(early.poll()), Err(Elapsed));
}

/// Sends a keepalive at each of `at` (virtual time from now), then drops the sender.
fn keepalives(at: &'static [u64]) -> mpsc::Receiver<()> {
    let (tx, rx) = mpsc::channel(8);
    let start = Instant::now();
    tokio::spawn(async move {
        for &t in at {
            tokio::time::sleep_until(start + ms(t)).await;
            if tx.send(()).await.is_err() {
                return;
            }
        }
    });
    rx
}

#[tokio::test(start_paused = true)]
async fn t07_keepalives_push_the_deadline_on() {
    let idle = ms(100);
    let (result, took) = finish(
        with_keepalive(work(7, ms(250)), idle, keepalives(&[80, 160, 240, 300])),
        "with_keepalive",
    )
    .await;
    assert_eq!(
        (result, took),
        (Ok(7), ms(250)),
        "the work takes 250 ms with an idle limit of 100 ms, but keepalives at 80, 160 and \
         240 ms each push the deadline to 100 ms after them: it finishes in time"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_a_keepalive_counts_from_its_arrival() {
    let (tx, rx) = mpsc::channel(8);
    let start = Instant::now();
    let mut run = pin!(with_keepalive(std::future::pending::<u32>(), ms(100), rx));
    let sender = async {
        sleep(ms(10)).await;
        tx.send(()).await.expect("with_keepalive still listens");
        sleep(FOREVER).await;
    };
    let result = tokio::select! {
        biased;
        result = run.as_mut() => result,
        () = sender => unreachable!("the sender never finishes"),
    };
    assert_eq!(
        (result, start.elapsed()),
        (Err(Elapsed), ms(110)),
        "one keepalive at 10 ms, idle 100 ms: the deadline becomes 110 ms, not 200 ms \
         (the old deadline + idle)"
    );
}

#[tokio::test(start_paused = true)]
async fn t09_a_closed_keepalive_channel_leaves_the_deadline_standing() {
    let (result, took) = finish(
        with_keepalive(work(7, ms(150)), ms(100), keepalives(&[60])),
        "with_keepalive",
    )
    .await;
    assert_eq!(
        (result, took),
        (Ok(7), ms(150)),
        "one keepalive at 60 ms moves the deadline to 160 ms, then the sender is gone: \
         the deadline stands and the work finishes at 150 ms. A closed channel means no \
         more extensions, not a failure"
    );
    let (result, took) = finish(
        with_keepalive(std::future::pending::<u32>(), ms(100), keepalives(&[])),
        "with_keepalive",
    )
    .await;
    assert_eq!(
        (result, took),
        (Err(Elapsed), ms(100)),
        "no keepalive at all and the sender gone at once: the work fails at 100 ms, \
         neither earlier nor never"
    );
}
