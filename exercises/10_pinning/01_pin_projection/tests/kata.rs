//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `requires_unpin` (tests/kata.rs): `impl<F: Future + Unpin>` with `Pin::new(&mut self.inner)` and a boxed `Sleep`: an `async` block is `!Unpin`, so no test compiles
//! - `checks_the_clock` (t02, t03, t05, t06, t07, t08, t10, t11, t12): compares `Instant::now()` with the deadline instead of polling the `Sleep`: nothing wakes the task at the deadline
//! - `sleep_polled_first` (t04, t07, t12): polls the timer before the inner future: a future ready at the deadline is reported late
//! - `deadline_from_first_poll` (t05, t07, t08): creates the `Sleep` on the first poll: the clock starts late
//! - `deadline_by_addition` (t07): `sleep_until(Instant::now() + limit)`: a `Duration::MAX` limit overflows and panics
//! - `reset_stores_a_number` (t06, t08, t10, t12): `reset` writes a deadline field that `poll` checks, but the `Sleep` still fires at the old deadline only
//! - `reset_only_extends` (t06, t08): `reset` ignores a deadline earlier than the one it has
//! - `deadline_field_not_updated_on_reset` (t06, t08): `deadline()` reads a copy taken in `new`, stale after a `reset`
//! - `keepalive_ignored` (t09, t10, t11, t12): `with_keepalive` is a plain `Timeout::new(work, idle)`
//! - `keepalive_from_the_old_deadline` (t10, t12): each keepalive adds `idle` to the old deadline instead of to now
//! - `closed_channel_times_out` (t11, t12): a closed keepalive channel is taken as a timeout
//! - `keepalive_overflows` (t13): `reset(Instant::now() + idle)`: an idle limit of `Duration::MAX` overflows at the first keepalive and panics
//! - `timeout_rebuilt_each_turn` (t12): a fresh `Timeout` over the pinned work on each turn of the loop: the channel's closing starts one more idle period
//!
//! Blind answers: 8 tried, 1 passed before this test file caught them (2026-12):
//! `keepalive_branch_first` (the keepalive branch first in the `biased` select, so a
//! keepalive queued at the very instant of the deadline saves the work). That one is not
//! wrong: it differs only on that tie, which the lesson now calls a tie that may go
//! either way, and no test samples it (t12 skips schedules with a keepalive or the
//! channel's closing at the deadline instant). `reset_only_extends` and
//! `deadline_field_not_updated_on_reset` are blind answers the tests already rejected,
//! kept for their new mistakes. t07 runs any limit (0 to `Duration::MAX`) against work
//! ready at its first poll, at, before, after the deadline or never; t08 any schedule
//! of resets (earlier, later, past, before the first poll) with the deadline, the poll
//! and the wake-up checked at every step; t12 any schedule of keepalives (bursts over a
//! one-slot channel, idle 0) and of the channel's closing.
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

/// A runtime on a paused clock, for the tests that run many generated cases.
fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime")
}

/// The generated-case runner: a fixed seed, so every run tries the same cases, and no
/// files of failures left behind.
fn cases(seed: u64, cases: u32) -> proptest::test_runner::TestRunner {
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })
}

/// An `async` block that answers `value` after `delay`, or at its first poll when
/// `delay` is zero, or never (`None`); `finished` says whether it got to answer and
/// `dropped` whether it was dropped.
fn answer_after(
    value: u32,
    delay: Option<Duration>,
    finished: Rc<Cell<bool>>,
    dropped: Rc<Cell<bool>>,
) -> impl Future<Output = u32> {
    let guard = DropGuard(dropped);
    async move {
        let _guard = guard;
        match delay {
            Some(delay) if delay.is_zero() => {}
            Some(delay) => sleep(delay).await,
            None => std::future::pending().await,
        }
        finished.set(true);
        value
    }
}

/// A `Timeout` with `limit` over work that answers after `delay` (never for `None`):
/// `Err` says how it broke the lesson's promise.
async fn check_timeout(limit: Duration, delay: Option<Duration>) -> Result<(), String> {
    let (finished, dropped) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
    let start = Instant::now();
    let timeout = Timeout::new(
        answer_after(7, delay, finished.clone(), dropped.clone()),
        limit,
    );
    let deadline = timeout.deadline();
    if limit < FOREVER && deadline != start + limit {
        return Err(format!(
            "a Timeout created with a {limit:?} limit reports deadline() = start + {:?}: \
             the deadline is the creation time + the limit",
            deadline - start
        ));
    }
    let what = format!("a Timeout with a {limit:?} limit over work done after {delay:?}");
    let (result, took) = finish(timeout, &what).await;
    let cut_off = dropped.get() && !finished.get();
    let in_time = delay.filter(|delay| *delay <= limit);
    let expected = match in_time {
        Some(delay) => (Ok(7), delay, false),
        None => (Err(Elapsed), limit, true),
    };
    if (result, took, cut_off) == expected {
        return Ok(());
    }
    Err(match in_time {
        Some(delay) => format!(
            "{what} (`None`: never): the work is in time (ready at the deadline itself \
             counts, and work ready at its first poll beats even a zero limit: the inner \
             future is polled first), so the Timeout answers Ok(7) at {delay:?} without \
             cutting it off; it answered {result:?} at {took:?} (work cut off: {cut_off})"
        ),
        None => format!(
            "{what} (`None`: never): the Timeout gives up with Err(Elapsed) at the \
             deadline, {limit:?}, dropping the unfinished work; it answered {result:?} at \
             {took:?} (work cut off: {cut_off})"
        ),
    })
}

#[test]
fn t07_any_work_any_limit_the_answer_or_elapsed_at_the_right_instant() {
    use proptest::prelude::*;

    let runtime = paused_runtime();
    // The edges by hand: a zero limit, work ready at its first poll, a limit so long
    // that `Instant::now() + limit` overflows (tokio's `sleep` takes it in its stride).
    for (limit, delay) in [
        (Duration::ZERO, Some(Duration::ZERO)),
        (Duration::ZERO, Some(ms(1))),
        (Duration::ZERO, None),
        (ms(1), Some(Duration::ZERO)),
        (Duration::MAX, Some(Duration::ZERO)),
        (Duration::MAX, Some(ms(500))),
    ] {
        if let Err(broken) = runtime.block_on(check_timeout(limit, delay)) {
            panic!("{broken}");
        }
    }
    // Zero and the deadline itself are drawn often: they are where answers go wrong.
    let ms_ = || prop_oneof![Just(0u64), 0u64..300];
    let case = (ms_(), ms_(), 0..4).prop_map(|(limit, delay, shape)| match shape {
        0 => (limit, Some(limit)),
        1 => (limit, None),
        _ => (limit, Some(delay)),
    });
    cases(0x1001, 200)
        .run(&case, |(limit, delay)| {
            runtime
                .block_on(check_timeout(ms(limit), delay.map(ms)))
                .map_err(TestCaseError::fail)
        })
        .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

/// One step of a generated schedule for `reset`: let `wait` ms pass, then maybe reset
/// the deadline to `start + reset_to` ms (earlier, later, even in the past), then maybe
/// poll.
#[derive(Clone, Copy, Debug)]
struct Step {
    wait: u64,
    reset_to: Option<u64>,
    poll: bool,
}

/// Runs a `Timeout` with `limit` ms over work that never ends through `steps`,
/// checking after each step what the lesson promises: `deadline()` is the last deadline
/// set, a poll gives `Err(Elapsed)` exactly when that deadline has come, and the task is
/// woken when it comes.
async fn check_resets(limit: u64, steps: Vec<Step>) -> Result<(), String> {
    let start = Instant::now();
    let mut timeout =
        tokio_test::task::spawn(Timeout::new(std::future::pending::<u32>(), ms(limit)));
    let mut deadline = start + ms(limit);
    let mut story = format!("a Timeout created at 0 ms with a {limit} ms limit");
    let mut polled = false;
    // Whether the task was woken since its last poll: a wake not yet answered by a poll
    // still stands. (`enter`, which `reset` and `deadline` go through, forgets earlier
    // wakes: they are kept here.)
    let mut woken = false;
    let at = |instant: Instant| (instant - start).as_millis();
    for step in steps.iter().copied().chain([Step {
        wait: 0,
        reset_to: None,
        poll: true,
    }]) {
        advance(ms(step.wait)).await;
        let now = Instant::now();
        woken |= timeout.is_woken();
        if polled && now >= deadline && !woken {
            return Err(format!(
                "{story}; at {} ms the deadline ({} ms) has come, but the timer did not wake \
                 the task: the `Sleep` itself must hold the deadline (reset it through the \
                 projection)",
                at(now),
                at(deadline)
            ));
        }
        if let Some(to) = step.reset_to {
            woken |= timeout.is_woken();
            timeout.enter(|_, timeout| timeout.reset(start + ms(to)));
            woken |= timeout.is_woken();
            deadline = start + ms(to);
            story += &format!(", reset at {} ms to {to} ms", at(now));
        }
        woken |= timeout.is_woken();
        let reported = timeout.enter(|_, timeout| timeout.deadline());
        if reported != deadline {
            return Err(format!(
                "{story}; deadline() says {} ms: it must report the deadline last set \
                 (by `new` or `reset`, earlier or later)",
                at(reported)
            ));
        }
        if !step.poll {
            continue;
        }
        let poll = timeout.poll();
        woken = timeout.is_woken();
        story += &format!(", polled at {} ms", at(now));
        match (poll.is_ready(), now >= deadline) {
            (true, true) => return Ok(()),
            (false, false) => polled = true,
            (ready, _) => {
                return Err(format!(
                    "{story}: the deadline is {} ms, so that poll must be {}, and it was {}. \
                     `reset` moves the deadline earlier or later, before or after the first \
                     poll, and only the deadline last set counts",
                    at(deadline),
                    if ready {
                        "Pending"
                    } else {
                        "Ready(Err(Elapsed))"
                    },
                    if ready { "Ready" } else { "Pending" },
                ));
            }
        }
        // Past the deadline with a poll to come: let the deadline come first.
    }
    // The last poll was pending: the deadline is still ahead. Wait for it.
    let now = Instant::now();
    advance(deadline - now).await;
    if !(woken || timeout.is_woken()) {
        return Err(format!(
            "{story}; at {} ms, the deadline, the timer did not wake the task: the \
             `Sleep` itself must hold the deadline (reset it through the projection)",
            at(deadline)
        ));
    }
    match timeout.poll() {
        std::task::Poll::Ready(Err(Elapsed)) => Ok(()),
        other => Err(format!(
            "{story}; polled again at the deadline, {} ms, it gave {other:?}, not \
             Ready(Err(Elapsed))",
            at(deadline)
        )),
    }
}

#[test]
fn t08_reset_any_number_of_times_moves_the_deadline_each_time() {
    use proptest::prelude::*;

    let runtime = paused_runtime();
    let step = (0u64..40, proptest::option::of(0u64..200), any::<bool>()).prop_map(
        |(wait, reset_to, poll)| Step {
            wait,
            reset_to,
            poll,
        },
    );
    let case = (0u64..100, proptest::collection::vec(step, 0..8));
    cases(0x1002, 300)
        .run(&case, |(limit, steps)| {
            runtime
                .block_on(check_resets(limit, steps))
                .map_err(TestCaseError::fail)
        })
        .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
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
async fn t09_keepalives_push_the_deadline_on() {
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
async fn t10_a_keepalive_counts_from_its_arrival() {
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
async fn t11_a_closed_keepalive_channel_leaves_the_deadline_standing() {
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

/// What the lesson promises `with_keepalive(work, idle, …)` gives for keepalives at
/// `keepalives` (ms, in order) and work done at `work` (never for `None`): `Ok` at the
/// work's end or `Err` at the deadline, and that instant. `None` for a schedule with a
/// tie (a keepalive at the very instant of the deadline, which may go either way).
fn promised(idle: u64, keepalives: &[u64], work: Option<u64>) -> Option<(bool, u64)> {
    let mut deadline = idle;
    for &at in keepalives {
        if work.is_some_and(|work| work <= at) || at > deadline {
            break;
        }
        if at == deadline {
            return None;
        }
        deadline = at + idle;
    }
    Some(match work {
        Some(work) if work <= deadline => (true, work),
        _ => (false, deadline),
    })
}

/// Runs `with_keepalive` over work done at `work` ms (never for `None`), with `idle`
/// ms, keepalives sent at `keepalives` ms on a channel of one slot (a burst waits for
/// room), whose sender is dropped at `close` ms (never for `None`).
async fn check_keepalives(
    idle: u64,
    keepalives: Vec<u64>,
    close: Option<u64>,
    work: Option<u64>,
) -> Result<(), String> {
    let Some((in_time, at)) = promised(idle, &keepalives, work) else {
        return Ok(());
    };
    if !in_time && close == Some(at) {
        return Ok(()); // the channel closes at the deadline itself: a tie too
    }
    let (tx, rx) = mpsc::channel(1);
    let start = Instant::now();
    let sender = tokio::spawn({
        let keepalives = keepalives.clone();
        async move {
            for at in keepalives {
                tokio::time::sleep_until(start + ms(at)).await;
                if tx.send(()).await.is_err() {
                    return;
                }
            }
            match close {
                Some(close) => tokio::time::sleep_until(start + ms(close)).await,
                None => std::future::pending().await,
            }
        }
    });
    let (finished, dropped) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
    let work_future = answer_after(7, work.map(ms), finished, dropped);
    let (result, took) = finish(with_keepalive(work_future, ms(idle), rx), "with_keepalive").await;
    sender.abort();
    let expected = if in_time { Ok(7) } else { Err(Elapsed) };
    if (result, took) == (expected, ms(at)) {
        return Ok(());
    }
    let close = close.map_or("never closed".into(), |close| {
        format!("closed at {close} ms")
    });
    let work = work.map_or("never done".into(), |work| format!("done at {work} ms"));
    Err(format!(
        "idle {idle} ms, keepalives at {keepalives:?} ms, the channel {close}, the work \
         {work}: each keepalive moves the deadline to its arrival + {idle} ms, a closed \
         channel moves nothing, so with_keepalive must give {expected:?} at {at} ms; it gave \
         {result:?} at {} ms",
        took.as_millis()
    ))
}

#[test]
fn t12_any_keepalive_schedule_moves_the_deadline_to_the_last_arrival_plus_idle() {
    use proptest::prelude::*;

    let runtime = paused_runtime();
    let case = (
        prop_oneof![Just(0u64), 1u64..150],
        proptest::collection::vec(0u64..400, 0..6),
        proptest::option::of(0u64..200),
        prop_oneof![Just(Some(0u64)), proptest::option::of(0u64..500)],
    )
        .prop_map(|(idle, mut keepalives, close_after, work)| {
            keepalives.sort_unstable();
            let last = keepalives.last().copied().unwrap_or(0);
            (
                idle,
                keepalives,
                close_after.map(|after| last + after),
                work,
            )
        });
    cases(0x1012, 300)
        .run(&case, |(idle, keepalives, close, work)| {
            runtime
                .block_on(check_keepalives(idle, keepalives, close, work))
                .map_err(TestCaseError::fail)
        })
        .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

#[tokio::test(start_paused = true)]
async fn t13_an_idle_limit_of_duration_max_never_runs_out() {
    let (result, took) = finish(
        with_keepalive(work(7, ms(1_800_000)), Duration::MAX, keepalives(&[10, 20])),
        "with_keepalive",
    )
    .await;
    assert_eq!(
        (result, took),
        (Ok(7), ms(1_800_000)),
        "an idle limit of Duration::MAX is a deadline the clock never reaches, keepalives \
         or not: `Instant::now() + idle` overflows and panics, `checked_add` does not"
    );
}
