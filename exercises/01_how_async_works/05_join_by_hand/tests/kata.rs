//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `short_circuit_and` (t04, t07): `a.poll_done(cx) && b.poll_done(cx)` short-circuits: `b` is polled only once `a` is done, one after the other instead of concurrently
//! - `returns_while_a_is_pending` (t04, t07): returns `Pending` before polling `b`: sequential
//! - `done_side_counts_as_pending` (t02, t03, t06, t07): a `Done` side answers `false`, so a join whose sides finish on different polls is never ready
//! - `repolls_a_finished_future` (t02, t03, t06, t07): polls a finished future again instead of keeping its output (an `async` block polled after completion panics)
//! - `inner_futures_get_a_noop_waker` (t02, t07): the inner futures get `Waker::noop()`, not the task's `cx`: when they become ready, nobody wakes the task; in t07 the join then finishes only at the 60s safety deadline
//! - `wakes_itself_while_pending` (t05, t07): a busy loop while both sides wait; on a runtime it keeps the paused clock from ever moving, and t07 stops it after 1000 polls
//! - `noop_waker_for_second_side` (t08): while `a` is pending, `b` is polled with a no-op waker: `b`'s wake never reaches the task
//! - `wake_when_side_finishes` (t08): the join wakes its task when a side finishes: a wake nobody asked for
//!
//! Blind answers: 6 tried, 2 passed before this test file caught them (2026-12): the
//! two above. t08 runs every schedule of two sides, each ready at its first poll or
//! pending up to 3 polls, waking itself or not, with a new waker at each poll of the
//! join (as if it moved to another task), and checks that the join's task receives
//! exactly the sides' wakes, no more, no fewer.

use std::future::ready;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use join_by_hand::join;
use timeline::faults::futures::{NewWakerEachPoll, Wakes, pending_for};
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep, timeout};
use tokio_test::{assert_pending, assert_ready_eq, task};

/// Wraps a future, counts its polls, and fails the test if it is polled after `Ready`.
struct Probe<F: Future> {
    name: &'static str,
    inner: Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
    finished: bool,
}

impl<F: Future> Future for Probe<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        assert!(
            !self.finished,
            "future `{}` was polled again after it returned Ready: a finished future must \
             never be polled again. Keep its output, and skip it from then on",
            self.name
        );
        self.polls.fetch_add(1, Ordering::Relaxed);
        let poll = self.inner.as_mut().poll(cx);
        self.finished = poll.is_ready();
        poll
    }
}

/// Wraps `future` in a [`Probe`], returning the probe and its poll counter.
fn probe<F: Future>(name: &'static str, future: F) -> (Probe<F>, Arc<AtomicUsize>) {
    let polls = Arc::new(AtomicUsize::new(0));
    let probe = Probe {
        name,
        inner: Box::pin(future),
        polls: polls.clone(),
        finished: false,
    };
    (probe, polls)
}

/// A future that is ready with the value sent on `Sender`, and not before.
fn gate() -> (oneshot::Sender<u32>, impl Future<Output = u32>) {
    let (sender, receiver) = oneshot::channel();
    (sender, async move {
        receiver.await.expect("the test keeps the sender")
    })
}

#[test]
fn t01_two_ready_futures_join_at_once() {
    let mut joined = task::spawn(join(ready(1), ready("one")));
    assert_ready_eq!(
        joined.poll(),
        (1, "one"),
        "both futures are ready on their first poll: so is the join, with (a, b)"
    );
}

#[test]
fn t02_the_join_is_ready_only_when_both_are_done() {
    let (send_a, a) = gate();
    let (send_b, b) = gate();
    let mut joined = task::spawn(join(a, b));
    assert_pending!(
        joined.poll(),
        "neither future is ready: the join is Pending"
    );

    send_a.send(1).unwrap();
    assert!(
        joined.is_woken(),
        "`a` became ready but the join's task was not woken: poll the inner futures with \
         the `cx` you were given, so their wakes reach this task"
    );
    assert_pending!(
        joined.poll(),
        "only `a` is done: the join must wait for `b` too"
    );

    send_b.send(2).unwrap();
    assert!(
        joined.is_woken(),
        "`b` became ready: the task must be woken"
    );
    assert_ready_eq!(joined.poll(), (1, 2), "both are done: Ready((a, b))");
}

#[test]
fn t03_the_outputs_come_in_argument_order() {
    let (send_a, a) = gate();
    let (send_b, b) = gate();
    let mut joined = task::spawn(join(a, b));
    assert_pending!(joined.poll());

    send_b.send(2).unwrap();
    assert_pending!(joined.poll());
    send_a.send(1).unwrap();
    assert_ready_eq!(
        joined.poll(),
        (1, 2),
        "`b` finished first, but join(a, b) always gives (a's output, b's output)"
    );
}

#[test]
fn t04_both_futures_are_polled_while_both_are_pending() {
    let (_send_a, a) = gate();
    let (_send_b, b) = gate();
    let (a, a_polls) = probe("a", a);
    let (b, b_polls) = probe("b", b);
    let mut joined = task::spawn(join(a, b));

    assert_pending!(joined.poll());
    assert_eq!(
        a_polls.load(Ordering::Relaxed),
        1,
        "the join's poll must poll `a`"
    );
    assert_eq!(
        b_polls.load(Ordering::Relaxed),
        1,
        "the join's poll polled `a`, which was pending, and stopped there: `b` must be \
         polled too. A future that is never polled never starts, and never registers its \
         waker: b would only begin after a, one after the other instead of concurrently"
    );
}

#[test]
fn t05_a_pending_join_does_not_wake_itself() {
    let (_send_a, a) = gate();
    let (_send_b, b) = gate();
    let mut joined = task::spawn(join(a, b));
    for poll in 1..=3 {
        assert_pending!(joined.poll());
        assert!(
            !joined.is_woken(),
            "poll #{poll} of the join woke its own task while both futures are still \
             waiting: the executor polls it again at once, and again, a busy loop. Each \
             pending inner future has stored the task's waker (the cx you passed on): its \
             wake is the one that asks for the next poll"
        );
    }
}

#[test]
fn t06_a_finished_future_is_never_polled_again() {
    let (a, a_polls) = probe("a", ready(1));
    let (send_b, b) = gate();
    let mut joined = task::spawn(join(a, b));

    for _ in 0..3 {
        assert_pending!(joined.poll(), "`b` is not done yet");
    }
    assert_eq!(
        a_polls.load(Ordering::Relaxed),
        1,
        "`a` was ready on its first poll: the join keeps its output and never polls it again"
    );

    send_b.send(2).unwrap();
    assert_ready_eq!(
        joined.poll(),
        (1, 2),
        "the output `a` gave on its first poll is the one the join returns"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_both_progress_at_once_in_virtual_time() {
    let start = Instant::now();
    let joined = join(
        async {
            sleep(Duration::from_secs(2)).await;
            "slow"
        },
        async {
            sleep(Duration::from_secs(1)).await;
            "fast"
        },
    );
    // A join that wakes itself keeps the runtime busy, so the paused clock never moves
    // and the sleeps never end: the probe counts its polls and stops that after 1000.
    let (mut joined, polls) = probe("the join", joined);
    let guarded = std::future::poll_fn(|cx| {
        assert!(
            polls.load(Ordering::Relaxed) < 1000,
            "the join was polled 1000 times while its futures slept: it keeps waking \
             itself, a busy loop, and the virtual clock can never move on"
        );
        Pin::new(&mut joined).poll(cx)
    });
    // If the sleeps' wakes never reach this task, the paused clock jumps to this
    // deadline instead of hanging, and the elapsed time below tells the story.
    let both = timeout(Duration::from_secs(60), guarded)
        .await
        .expect("the join should finish long before 60s of virtual time");
    assert_eq!(both, ("slow", "fast"), "outputs in argument order");
    let elapsed = start.elapsed();
    assert_eq!(
        elapsed,
        Duration::from_secs(2),
        "a 2s and a 1s sleep took {elapsed:?} of virtual time when joined: they should \
         run concurrently on one task and take 2s, the longer of the two, not 3s (one \
         after the other)"
    );
}

#[test]
fn t08_every_schedule_gets_exactly_the_sides_wakes() {
    for a_pendings in 0..4 {
        for b_pendings in 0..4 {
            for a_wakes in [Wakes::Itself, Wakes::Never] {
                for b_wakes in [Wakes::Itself, Wakes::Never] {
                    let (a, probe_a) = pending_for(a_pendings, 'a');
                    let (b, probe_b) = pending_for(b_pendings, 'b');
                    let case = format!(
                        "a pending {a_pendings} polls ({a_wakes:?} waking), b pending \
                         {b_pendings} polls ({b_wakes:?} waking)"
                    );
                    let mut joined =
                        NewWakerEachPoll::new(join(a.waking(a_wakes), b.waking(b_wakes)));
                    for poll in 1.. {
                        assert!(
                            poll <= 5,
                            "{case}: both sides are done, but the join is still not ready \
                             after 5 polls: a Done side counts as done"
                        );
                        let sides_before = probe_a.wakes() + probe_b.wakes();
                        let outcome = joined.poll();
                        let sides = probe_a.wakes() + probe_b.wakes() - sides_before;
                        let task = joined.latest_wakes();
                        assert_eq!(
                            task, sides,
                            "{case}: in poll #{poll} of the join, the sides woke the waker \
                             they were given {sides} times, but the join's task was woken \
                             {task} times. Give both sides the task's own cx on every poll \
                             (a no-op waker loses their wakes), and never wake it yourself"
                        );
                        if let Poll::Ready(output) = outcome {
                            assert_eq!(output, ('a', 'b'), "{case}");
                            assert_eq!(
                                poll,
                                a_pendings.max(b_pendings) + 1,
                                "{case}: the join is ready on the poll where the slower side is"
                            );
                            break;
                        }
                    }
                    assert_eq!(
                        (probe_a.polls(), probe_b.polls()),
                        (a_pendings + 1, b_pendings + 1),
                        "{case}: each side is polled until it is ready, then never again"
                    );
                }
            }
        }
    }
}
