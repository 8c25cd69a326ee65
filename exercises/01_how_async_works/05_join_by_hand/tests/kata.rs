//! Wrong answers these tests reject:
//! - polling `b` only once `a` is done, e.g. `a.poll_done(cx) && b.poll_done(cx)`, which
//!   short-circuits: the futures run one after the other, not concurrently (t04, t06)
//! - polling a finished future again instead of keeping its output (t05; an `async`
//!   block polled after completion panics too)
//! - losing the output of the future that finishes first while the other still runs
//!   (t03; t03 also shows the order is fixed, which the types `(A::Output, B::Output)`
//!   already enforce)
//! - polling the inner futures with a waker of your own (`Waker::noop()`) instead of the
//!   task's `cx`: when they become ready, nobody wakes the task (t02; in t06 the join
//!   then finishes only at the 60s safety deadline)

use std::future::ready;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use join_by_hand::join;
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
fn t05_a_finished_future_is_never_polled_again() {
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
async fn t06_both_progress_at_once_in_virtual_time() {
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
    // If the sleeps' wakes never reach this task, the paused clock jumps to this
    // deadline instead of hanging, and the elapsed time below tells the story.
    let both = timeout(Duration::from_secs(60), joined)
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
