//! Wrong answers these tests reject:
//! - `Ready` too early: ready after n - 1 polls, or on the first poll (t02)
//! - one `Pending` too many: ready only after n + 1 pendings (t01, t02)
//! - never `Ready` because `remaining` is not decremented (t02; t04 stops the busy
//!   loop after 1000 polls)
//! - `Pending` without waking the task (t03; on a runtime this hangs, t04 turns the
//!   hang into a failure)
//! - waking only on the first `Pending`, not on each (t03)

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use countdown::Countdown;
use tokio_test::{assert_pending, assert_ready_eq, task};

#[test]
fn t01_countdown_zero_is_ready_on_the_first_poll() {
    let mut countdown = task::spawn(Countdown::new(0));
    assert_ready_eq!(
        countdown.poll(),
        "liftoff",
        "Countdown::new(0) has nothing left to count: its first poll returns Ready(\"liftoff\")"
    );
}

#[test]
fn t02_countdown_three_is_pending_three_times_then_ready() {
    let mut countdown = task::spawn(Countdown::new(3));
    for poll in 1..=3 {
        assert_pending!(
            countdown.poll(),
            "poll #{poll} of Countdown::new(3) should return Pending: it is ready only on poll #4"
        );
    }
    assert_ready_eq!(
        countdown.poll(),
        "liftoff",
        "after three Pendings, poll #4 of Countdown::new(3) returns Ready(\"liftoff\")"
    );
}

#[test]
fn t03_every_pending_wakes_the_task() {
    let mut countdown = task::spawn(Countdown::new(3));
    for poll in 1..=3 {
        assert_pending!(
            countdown.poll(),
            "poll #{poll} of Countdown::new(3) should return Pending: it is Ready only on \
             poll #4"
        );
        assert!(
            countdown.is_woken(),
            "poll #{poll} returned Pending without waking the task. An executor only polls \
             a task again after its waker is called: without cx.waker().wake_by_ref() \
             nobody ever polls this countdown again, and awaiting it hangs forever"
        );
    }
}

/// Counts how often the executor polls the future inside.
struct CountPolls<F> {
    inner: F,
    polls: Arc<AtomicUsize>,
}

impl<F: Future + Unpin> Future for CountPolls<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let polls = self.polls.fetch_add(1, Ordering::Relaxed) + 1;
        assert!(
            polls <= 1000,
            "polled 1000 times and still not Ready: the countdown never reaches zero"
        );
        Pin::new(&mut self.inner).poll(cx)
    }
}

#[tokio::test(start_paused = true)]
async fn t04_a_runtime_polls_it_again_after_each_wake() {
    let polls = Arc::new(AtomicUsize::new(0));
    let counted = CountPolls {
        inner: Countdown::new(5),
        polls: polls.clone(),
    };
    // If the countdown never wakes, the runtime goes idle and the paused clock jumps
    // to this deadline: a clear failure instead of a hang.
    let output = tokio::time::timeout(Duration::from_secs(60), counted)
        .await
        .expect(
            "awaiting Countdown::new(5) never finished: it returned Pending without waking, \
             so the runtime never polled it again",
        );
    assert_eq!(
        output, "liftoff",
        "awaited on a runtime, Countdown::new(5) should complete with \"liftoff\""
    );
    assert_eq!(
        polls.load(Ordering::Relaxed),
        6,
        "the runtime should poll Countdown::new(5) exactly 6 times: \
         5 Pendings, each followed by a wake, then Ready"
    );
}
