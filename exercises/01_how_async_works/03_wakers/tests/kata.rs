//! Wrong answers these tests reject:
//! - `Wait` that is always ready, or ready before the flag is set (t02, t07)
//! - `set` that wakes the task but does not set the flag (t01, t03)
//! - `set` that sets the flag but never wakes the stored waker: the waiter sleeps
//!   forever (t03, t06; t07 turns the hang into a failure)
//! - a `Wait` that never stores a waker at all (t03, t06, t07)
//! - a `Wait` that wakes itself on every `Pending` (a busy loop that burns a core
//!   until the flag is set) (t04; t07 stops it after 1000 polls)
//! - storing only the first waker and ignoring later ones: after the future moves to
//!   another task, the wake goes to the old task (t05)
//! - keeping every waker ever seen and waking them all (t05: the old task is woken)
//!
//! Not caught by any test, because no test can force the thread interleaving: checking
//! the flag and storing the waker under two separate locks, so that a `set` in between
//! wakes nobody. The README explains why one lock is needed.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::{Instant, sleep, timeout};
use tokio_test::{assert_pending, assert_ready, task};
use wakers::{Flag, Wait};

#[test]
fn t01_a_set_flag_is_ready_at_once() {
    let flag = Flag::new();
    flag.set();
    let mut wait = task::spawn(flag.wait());
    assert_ready!(
        wait.poll(),
        "the flag was set before anyone waited: the first poll of wait() is Ready"
    );
}

#[test]
fn t02_an_unset_flag_is_pending() {
    let flag = Flag::new();
    let mut wait = task::spawn(flag.wait());
    assert_pending!(
        wait.poll(),
        "nobody has set the flag: wait() must return Pending"
    );
}

#[test]
fn t03_setting_the_flag_wakes_the_waiting_task() {
    let flag = Flag::new();
    let mut wait = task::spawn(flag.wait());
    assert_pending!(wait.poll());
    flag.set();
    assert!(
        wait.is_woken(),
        "set() did not wake the task that is waiting: wait() returned Pending, so its task \
         sleeps until someone calls the waker. Store cx.waker() in poll, call it in set()"
    );
    assert_ready!(wait.poll(), "once the flag is set, the next poll is Ready");
}

#[test]
fn t04_no_wake_before_the_flag_is_set() {
    let flag = Flag::new();
    let mut wait = task::spawn(flag.wait());
    for poll in 1..=3 {
        assert_pending!(wait.poll());
        assert!(
            !wait.is_woken(),
            "poll #{poll} woke its own task although the flag is still unset: the executor \
             polls it again at once, and again, a busy loop that burns a core until set() \
             is called. Wake only when the flag is set"
        );
    }
}

#[test]
fn t05_the_latest_poll_s_waker_is_the_one_woken() {
    let flag = Flag::new();
    let mut wait = flag.wait();
    // Two tasks, each with its own waker. The same future is polled by the first, then
    // moves to the second, as happens when a future is handed from task to task.
    let mut first_task = task::spawn(());
    let mut second_task = task::spawn(());
    let poll =
        |task: &mut task::Spawn<()>, wait: &mut Wait| task.enter(|cx, _| Pin::new(wait).poll(cx));

    assert_pending!(poll(&mut first_task, &mut wait));
    assert_pending!(poll(&mut second_task, &mut wait));
    flag.set();

    assert!(
        second_task.is_woken(),
        "the future was last polled by the second task, but set() did not wake it: each \
         poll must replace the stored waker (the future may have moved), not keep the first"
    );
    assert!(
        !first_task.is_woken(),
        "set() woke the first task, which no longer owns the future: keep only the waker \
         of the latest poll, not every waker ever seen"
    );
}

#[test]
fn t06_a_set_from_another_thread_wakes_the_task() {
    let flag = Flag::new();
    let mut wait = task::spawn(flag.wait());
    assert_pending!(wait.poll());

    let setter = flag.clone();
    std::thread::spawn(move || setter.set())
        .join()
        .expect("set() should not panic");

    assert!(
        wait.is_woken(),
        "set() on another thread should wake the waiting task: wakers are Send + Sync for \
         exactly this"
    );
    assert_ready!(wait.poll());
}

/// Fails the test if the future inside is polled absurdly often (a busy loop).
struct BusyLoopGuard<F> {
    inner: F,
    polls: Arc<AtomicUsize>,
}

impl<F: Future + Unpin> Future for BusyLoopGuard<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let polls = self.polls.fetch_add(1, Ordering::Relaxed) + 1;
        assert!(
            polls <= 1000,
            "wait() was polled 1000 times before the flag was set: it keeps waking itself, \
             a busy loop"
        );
        Pin::new(&mut self.inner).poll(cx)
    }
}

#[tokio::test(start_paused = true)]
async fn t07_on_a_runtime_the_waiter_finishes_when_the_flag_is_set() {
    let flag = Flag::new();
    let setter = flag.clone();
    tokio::spawn(async move {
        sleep(Duration::from_secs(1)).await;
        setter.set();
    });

    let start = Instant::now();
    let polls = Arc::new(AtomicUsize::new(0));
    let guarded = BusyLoopGuard {
        inner: flag.wait(),
        polls: polls.clone(),
    };
    // If nothing ever wakes the waiter, the runtime goes idle and the paused clock jumps
    // to this deadline: a failure instead of a hang.
    timeout(Duration::from_secs(60), guarded).await.expect(
        "flag.wait().await never finished, although another task set the flag after 1s: \
         set() must wake the waker that poll stored",
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "the waiter should finish exactly when the flag is set, 1s in"
    );
    assert_eq!(
        polls.load(Ordering::Relaxed),
        2,
        "the runtime should poll wait() exactly twice: once to find the flag unset, once \
         after set() woke it"
    );
}
