//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `gives_up_on_pending` (t02, t03, t04, t05): polls once and panics on `Pending`
//! - `requires_unpin` (tests/kata.rs): `F: Unpin` and `Pin::new`: t03's async block, which borrows across awaits, is not `Unpin`, so the tests do not compile
//! - `spins_with_a_noop_waker` (t04, t05): polls in a loop with `Waker::noop()`: a busy loop
//! - `sleeps_between_polls` (t04, t05): `Waker::noop()` and a 1ms sleep after each `Pending`: it re-polls on a timer instead of waiting for the wake
//! - `spins_with_a_real_waker` (t05): a waker that unparks, but no `park`: a busy loop
//! - `yields_between_polls` (t05): `thread::yield_now()` between polls: still a busy loop
//! - `condvar_without_flag` (t02, t05): a `Condvar` wait with no flag: the wake that came during the poll, before the wait, is lost and the thread sleeps forever (a hang: the runner's time limit ends it)
//! - `waker_never_unparks` (t05): the waker sets the flag but does not unpark: a wake from another thread leaves the thread parked forever (a hang: the runner's time limit ends it)
//!
//! The two hangs cannot be turned into quick failures: a thread asleep in `park` or
//! `Condvar::wait` moves no counter, and only a wall-clock limit can tell "asleep for
//! good" from "not woken yet". The kata's `hang` metadata names them for the runner.
//!
//! Not caught reliably: a waker that does unpark, with `park_timeout` (or a sleep) as a
//! fallback between polls. It polls without a wake only when a wake takes longer than
//! its timeout, and no test can hold a wake back that long without real time.

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

/// Pending once (waking itself), then ready. Each poll notes whether its waker is one of
/// the no-op wakers (`Waker::noop()`, `futures::task::noop_waker()`): those carry no data,
/// so they cannot reach any thread.
struct LooksAtTheWaker {
    polls: u32,
    noop_wakers: u32,
}

impl Future for LooksAtTheWaker {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        self.polls += 1;
        if cx.waker().data().is_null() {
            self.noop_wakers += 1;
        }
        if self.polls == 1 {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(self.noop_wakers)
    }
}

#[test]
fn t04_the_waker_can_reach_the_thread() {
    let noop_wakers = block_on(LooksAtTheWaker {
        polls: 0,
        noop_wakers: 0,
    });
    assert_eq!(
        noop_wakers, 0,
        "block_on polled with a no-op waker (Waker::noop()): calling it does nothing, so a \
         wake cannot reach the sleeping thread, and block_on can only spin or poll again on \
         a timer. Build a waker with std::task::Wake (Waker::from(arc)) whose wake unparks \
         the thread that runs block_on"
    );
}

/// Wakes itself on its first poll (as a wake that arrives during a poll would), then is
/// ready once another thread has woken it `rounds` times. Each time it sees a new wake,
/// it hands its waker to that thread for the next round, so every later wake comes from
/// afar and only after a poll asked for it. Output: how many times it was polled, and
/// how many of those polls came with no new wake since the last one.
struct WokenFromAnotherThread {
    rounds: usize,
    wakes: Arc<AtomicUsize>,
    wakes_seen: usize,
    polls: Arc<AtomicUsize>,
    polls_without_a_wake: usize,
    to_waker_thread: mpsc::Sender<Waker>,
}

impl Future for WokenFromAnotherThread {
    type Output = (usize, usize);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(usize, usize)> {
        let polls = self.polls.fetch_add(1, Ordering::AcqRel) + 1;
        if cx.waker().data().is_null() {
            // A no-op waker (t04): no wake can come through it; stop here.
            return Poll::Ready((polls, usize::MAX));
        }
        if polls == 1 {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let wakes = self.wakes.load(Ordering::Acquire);
        if wakes == self.rounds {
            return Poll::Ready((polls, self.polls_without_a_wake));
        }
        if polls == 2 || wakes != self.wakes_seen {
            self.wakes_seen = wakes;
            self.to_waker_thread
                .send(cx.waker().clone())
                .expect("the waker thread is alive until the last round");
        } else {
            self.polls_without_a_wake += 1;
        }
        Poll::Pending
    }
}

#[test]
fn t05_polls_again_only_after_a_wake() {
    const ROUNDS: usize = 50;
    // Before each wake, the waker thread gives the executor this many turns of the CPU
    // to show a busy loop: a poll with no wake. A correct block_on is parked meanwhile,
    // so these turns never change its verdict, only how fast a busy loop is caught.
    const TURNS: usize = 1000;
    let wakes = Arc::new(AtomicUsize::new(0));
    let polls = Arc::new(AtomicUsize::new(0));
    let (to_waker_thread, wakers) = mpsc::channel::<Waker>();
    let waker_thread = {
        let (wakes, polls) = (wakes.clone(), polls.clone());
        thread::spawn(move || {
            for _ in 0..ROUNDS {
                // The future drops its end if it stops early (a no-op waker).
                let Ok(waker) = wakers.recv() else { return };
                let polls_before = polls.load(Ordering::Acquire);
                for _ in 0..TURNS {
                    if polls.load(Ordering::Acquire) != polls_before {
                        break;
                    }
                    thread::yield_now();
                }
                wakes.fetch_add(1, Ordering::Release);
                waker.wake();
            }
        })
    };

    let (polls, polls_without_a_wake) = block_on(WokenFromAnotherThread {
        rounds: ROUNDS,
        wakes,
        wakes_seen: 0,
        polls,
        polls_without_a_wake: 0,
        to_waker_thread,
    });
    waker_thread
        .join()
        .expect("the waker thread should not panic");

    assert!(
        polls_without_a_wake != usize::MAX,
        "block_on polled with a no-op waker (Waker::noop()): a wake from another thread \
         cannot reach it (see t04)"
    );
    assert_eq!(
        polls_without_a_wake,
        0,
        "block_on polled the future {polls_without_a_wake} times without a wake since its \
         last Pending ({polls} polls for {} wakes): it polls without waiting for a \
         wake, a busy loop that burns a core while the future waits. After Pending, sleep \
         (thread::park) until the waker is called",
        ROUNDS + 1
    );
    assert_eq!(
        polls,
        ROUNDS + 2,
        "one poll at the start, one after the future woke itself, and one after each of \
         the {ROUNDS} wakes from the other thread"
    );
}
