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
//! - `park_without_flag` (t05): the park's token is the only mark: a `park` that returns without a wake (t05 unparks the thread for no reason) is taken for one, and the future is polled again
//! - `park_timeout_repoll` (t05): `park_timeout(10 ms)` as a safety net: any return from it, t05's stray unpark too, polls again without a wake
//!
//! The two hangs cannot be turned into quick failures: a thread asleep in `park` or
//! `Condvar::wait` moves no counter, and only a wall-clock limit can tell "asleep for
//! good" from "not woken yet". The kata's `hang` metadata names them for the runner.
//!
//! No verdict here depends on the machine's load: t05 waits for events (a poll, or the
//! thread seen asleep by the kernel: `timeline::faults::threads`), not for turns of the
//! CPU. It once spun `thread::yield_now()` up to 1000 times a round, which failed the
//! reference solution with four CPU hogs beside it.
//!
//! Blind answers: 7 tried, 2 passed before this test file caught them (2026-12):
//! `park_without_flag`, and a third, `fresh_waker_each_poll` (a new waker and flag for
//! each poll, so a wake through an older poll's waker is ignored), which is not wrong:
//! a future must wake the waker of its latest poll (the `Future` contract), and this
//! executor honours every such wake. It is not a fixture.

use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::task::{Context, Poll, Waker};
use std::thread;

use block_on::block_on;
use timeline::faults::threads::{Seen, Sleeper};

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
    to_waker_thread: mpsc::Sender<Message>,
}

/// What the future tells the waker thread: first the thread that polls it, then a
/// waker per round.
enum Message {
    Executor(Sleeper, thread::Thread),
    Waker(Waker),
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
            self.to_waker_thread
                .send(Message::Executor(Sleeper::current(), thread::current()))
                .expect("the waker thread is alive until the last round");
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
                .send(Message::Waker(cx.waker().clone()))
                .expect("the waker thread is alive until the last round");
        } else {
            self.polls_without_a_wake += 1;
        }
        Poll::Pending
    }
}

#[test]
fn t05_polls_again_only_after_a_wake() {
    const ROUNDS: usize = 20;
    let wakes = Arc::new(AtomicUsize::new(0));
    let polls = Arc::new(AtomicUsize::new(0));
    let (to_waker_thread, messages) = mpsc::channel::<Message>();
    // Each round counts events, never time or turns of the CPU: the waker thread waits
    // until block_on either polls again without a wake (a busy loop, caught) or is
    // asleep (parked: right). Then it unparks that thread without a wake, as `park`
    // may return for no reason, and waits the same way: a block_on that takes any
    // return from `park` for a wake polls again (caught). Only then does it wake the
    // future. On a loaded machine this takes longer, never another verdict.
    let waker_thread = {
        let (wakes, polls) = (wakes.clone(), polls.clone());
        thread::spawn(move || {
            // The future drops its end if it stops early (a no-op waker).
            let Ok(Message::Executor(sleeper, executor)) = messages.recv() else {
                return;
            };
            for _ in 0..ROUNDS {
                let Ok(Message::Waker(waker)) = messages.recv() else {
                    return;
                };
                let polls_before = polls.load(Ordering::Acquire);
                let polled = || polls.load(Ordering::Acquire) != polls_before;
                if sleeper.wait(polled) == Seen::Asleep {
                    executor.unpark();
                    sleeper.wait(polled);
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
         wake, a busy loop that burns a core while the future waits, or a return from \
         park taken for a wake (park may return without an unpark, and another thread may \
         unpark yours for its own reasons). After Pending, sleep (thread::park) until the \
         waker has been called: loop on the woken flag",
        ROUNDS + 1
    );
    assert_eq!(
        polls,
        ROUNDS + 2,
        "one poll at the start, one after the future woke itself, and one after each of \
         the {ROUNDS} wakes from the other thread"
    );
}
