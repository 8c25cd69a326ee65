//! Wrong answers these tests reject:
//! - `block_on` that gives up (panics, or returns) on the first `Pending` (t02, t03)
//! - a busy loop: polling again right after `Pending` without waiting for a wake,
//!   with `Waker::noop()` or with a real waker (t04 counts the polls)
//! - `std::thread::yield_now()` between polls instead of waiting: still a busy loop (t04)
//! - a waker that does nothing (`Waker::noop()`) with a thread that parks: the thread
//!   sleeps forever (t02 hangs; the runner's time limit reports it)
//! - a `Condvar` wait with no flag beside it: a wake that arrives during the poll, before
//!   the wait, is lost and the thread sleeps forever (t02 hangs, as above)
//! - a `block_on` that needs `F: Unpin` or `F: Send`: t03 does not compile

use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::task::{Context, Poll, Waker};
use std::thread;

use block_on::block_on;

/// Pending `remaining` times, waking its own task each time; then ready with the
/// number of times it was polled.
struct YieldTimes {
    remaining: u32,
    polls: u32,
}

impl YieldTimes {
    fn new(remaining: u32) -> Self {
        YieldTimes {
            remaining,
            polls: 0,
        }
    }
}

impl Future for YieldTimes {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        self.polls += 1;
        if self.remaining == 0 {
            return Poll::Ready(self.polls);
        }
        self.remaining -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[test]
fn t01_a_ready_future_gives_its_output() {
    assert_eq!(
        block_on(async { 6 * 7 }),
        42,
        "block_on(async {{ 6 * 7 }}) should poll the future once and return its output"
    );
}

#[test]
fn t02_a_future_that_wakes_itself_is_polled_again() {
    let polls = block_on(YieldTimes::new(1));
    assert_eq!(
        polls, 2,
        "the future returned Pending once (waking itself during that poll), then Ready: \
         block_on should poll it exactly twice"
    );
}

#[test]
fn t03_async_code_with_many_awaits_runs_to_the_end() {
    // An async block that borrows across awaits is not `Unpin`, and one holding an `Rc`
    // is not `Send`: block_on must pin the future itself and run it on this thread.
    let output = block_on(async {
        let shared = Rc::new(String::from("awaitlings"));
        let borrowed = shared.as_str();
        let mut polls = 0;
        for _ in 0..5 {
            polls += YieldTimes::new(2).await;
        }
        format!("{borrowed}: {polls}")
    });
    assert_eq!(
        output, "awaitlings: 15",
        "five awaits of a future that yields twice: block_on must keep polling the whole \
         async block, resuming it after each wake, until it is Ready"
    );
}

/// Ready once another thread has woken it `rounds` times. Each time it sees a new wake,
/// it hands its waker to that thread for the next round, so every wake comes from
/// afar and only after a poll asked for it. Output: how many times it was polled.
struct WokenFromAnotherThread {
    rounds: usize,
    wakes: Arc<AtomicUsize>,
    wakes_seen: usize,
    polls: usize,
    to_waker_thread: mpsc::Sender<Waker>,
}

impl Future for WokenFromAnotherThread {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        self.polls += 1;
        let wakes = self.wakes.load(Ordering::Acquire);
        if wakes == self.rounds {
            return Poll::Ready(self.polls);
        }
        if self.polls == 1 || wakes != self.wakes_seen {
            self.wakes_seen = wakes;
            self.to_waker_thread
                .send(cx.waker().clone())
                .expect("the waker thread is alive until the last round");
        }
        Poll::Pending
    }
}

#[test]
fn t04_polls_again_only_after_a_wake() {
    const ROUNDS: usize = 20;
    let wakes = Arc::new(AtomicUsize::new(0));
    let (to_waker_thread, wakers) = mpsc::channel::<Waker>();
    let waker_thread = {
        let wakes = wakes.clone();
        thread::spawn(move || {
            for _ in 0..ROUNDS {
                let waker = wakers.recv().expect("the future sends a waker each round");
                wakes.fetch_add(1, Ordering::Release);
                waker.wake();
            }
        })
    };

    let polls = block_on(WokenFromAnotherThread {
        rounds: ROUNDS,
        wakes,
        wakes_seen: 0,
        polls: 0,
        to_waker_thread,
    });
    waker_thread
        .join()
        .expect("the waker thread should not panic");

    assert!(
        polls <= ROUNDS + 1,
        "the future was woken {ROUNDS} times but polled {polls} times: block_on polls \
         without waiting for a wake, a busy loop that burns a core while the future \
         waits. After Pending, sleep (thread::park) until the waker is called. \
         At most {} polls: one at the start, one per wake",
        ROUNDS + 1
    );
    assert_eq!(
        polls,
        ROUNDS + 1,
        "one poll at the start and one after each of the {ROUNDS} wakes"
    );
}
