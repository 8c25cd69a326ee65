//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `ready_one_poll_early` (t02, t03, t04): ready on poll n, one `Pending` short
//! - `pending_one_poll_too_many` (t01, t02, t04): ready only on poll n + 2
//! - `never_counts_down` (t02, t04): never `Ready`; t04 stops the busy loop after 1000 polls instead of letting it spin
//! - `pending_without_wake` (t03, t04): on a runtime nothing polls it again; t04's deadline on the paused clock turns that hang into a failure in milliseconds
//! - `wakes_on_the_first_pending_only` (t03, t04): later `Pending`s wake nobody
//! - `no_wake_on_the_last_pending` (t03, t04): the last `Pending` wakes nobody
//! - `wakes_every_other_poll` (t03, t04): some `Pending`s wake, some do not
//! - `wake_on_ready_too` (t05): wakes on every poll, `Ready` included: the executor polls a finished task again
//!
//! Blind answers: 6 tried, 1 passed before this test file caught it (2026-12):
//! `wake_on_ready_too`; the lesson now says that `Ready` comes without a wake. t05
//! checks every `n` from 0 to 40 with a new waker at each poll (as if the countdown
//! moved to another task each time), t06 moves it to a new Tokio task after each
//! `Pending`.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use countdown::Countdown;
use timeline::faults::futures::{NewWakerEachPoll, on_new_tasks};
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
fn t02_countdown_n_is_pending_n_times_then_ready() {
    for n in [1, 2, 3, 10] {
        let mut countdown = task::spawn(Countdown::new(n));
        for poll in 1..=n {
            assert_pending!(
                countdown.poll(),
                "poll #{poll} of Countdown::new({n}) should return Pending: it is ready only \
                 on poll #{}",
                n + 1
            );
        }
        assert_ready_eq!(
            countdown.poll(),
            "liftoff",
            "after {n} Pendings, poll #{} of Countdown::new({n}) returns Ready(\"liftoff\")",
            n + 1
        );
    }
}

#[test]
fn t03_every_pending_wakes_the_task() {
    for n in [1, 2, 3, 4, 7] {
        let mut countdown = task::spawn(Countdown::new(n));
        for poll in 1..=n {
            assert_pending!(
                countdown.poll(),
                "poll #{poll} of Countdown::new({n}) should return Pending: it is Ready only \
                 on poll #{}",
                n + 1
            );
            assert!(
                countdown.is_woken(),
                "poll #{poll} of Countdown::new({n}) returned Pending without waking the task. \
                 An executor polls a pending task again only after its waker is called: \
                 without cx.waker().wake_by_ref() on every Pending, the countdown is not \
                 guaranteed another poll, and awaiting it on a runtime hangs"
            );
        }
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
    let start = tokio::time::Instant::now();
    let output = tokio::time::timeout(Duration::from_secs(60), counted)
        .await
        .expect(
            "awaiting Countdown::new(5) never finished: a Pending came without a wake, so the \
             runtime had no reason to poll it again, went idle, and the paused clock jumped \
             to this test's 60s deadline",
        );
    assert_eq!(
        output, "liftoff",
        "awaited on a runtime, Countdown::new(5) should complete with \"liftoff\""
    );
    let elapsed = start.elapsed();
    assert_eq!(
        elapsed,
        Duration::ZERO,
        "Countdown::new(5) finished only after {elapsed:?} of virtual time: a Pending came \
         without a wake, the runtime went idle, and only this test's 60s timeout, firing, \
         happened to poll the countdown again. Another poll is not guaranteed: wake on \
         every Pending"
    );
    assert_eq!(
        polls.load(Ordering::Relaxed),
        6,
        "the runtime should poll Countdown::new(5) exactly 6 times: \
         5 Pendings, each followed by a wake, then Ready"
    );
}

#[test]
fn t05_each_pending_wakes_its_own_poll_s_waker_and_ready_wakes_none() {
    for n in 0..=40 {
        // Each poll with a waker never seen before: the countdown moved to a new task.
        let mut countdown = NewWakerEachPoll::new(Countdown::new(n));
        for poll in 1..=n {
            assert!(
                countdown.poll().is_pending(),
                "poll #{poll} of Countdown::new({n}) should be Pending"
            );
            assert!(
                countdown.latest_wakes() >= 1,
                "poll #{poll} of Countdown::new({n}) returned Pending without waking the \
                 waker it was given (cx.waker(): the countdown may have moved to a new task \
                 since the last poll, so wake this poll's waker, not a stored one)"
            );
        }
        assert_eq!(
            countdown.poll(),
            Poll::Ready("liftoff"),
            "poll #{} of Countdown::new({n}) should be Ready(\"liftoff\")",
            n + 1
        );
        assert_eq!(
            countdown.latest_wakes(),
            0,
            "the last poll of Countdown::new({n}) returned Ready and also woke the task: \
             the executor will poll a finished task again, for nothing. Wake only with Pending"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn t06_it_finishes_when_moved_to_a_new_task_after_each_pending() {
    for n in [0, 1, 5] {
        // A Pending without a wake leaves the runtime idle: the paused clock jumps to
        // this deadline, a failure instead of a hang.
        let (output, polls) = tokio::time::timeout(
            Duration::from_secs(60),
            on_new_tasks(CountPolls {
                inner: Countdown::new(n),
                polls: Arc::new(AtomicUsize::new(0)),
            }),
        )
        .await
        .unwrap_or_else(|_| {
            panic!(
                "Countdown::new({n}), moved to a new task after each Pending, never \
                         finished: a Pending came without a wake of that poll's waker"
            )
        });
        assert_eq!(output, "liftoff");
        assert_eq!(
            polls,
            n as usize + 1,
            "Countdown::new({n}), moved to a new task after each Pending, should be polled \
             {} times",
            n + 1
        );
    }
}
