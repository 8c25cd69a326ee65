//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `ready_on_the_second_poll` (t04, t05): a second poll taken as proof the flag was set: ready before anyone set it
//! - `wakes_without_setting` (t01, t03, t06, t07, t08, t09): `set` wakes the task but leaves the flag unset
//! - `set_never_wakes` (t03, t05, t06, t08, t09): the waiter sleeps forever; t09's deadline on the paused clock turns that hang into a failure in milliseconds
//! - `waker_stored_in_the_wait` (t03, t05, t06, t08, t09): the waker lives in the `Wait`, where `set` cannot reach it
//! - `wakes_itself_while_pending` (t04, t05, t09): a busy loop until the flag is set; t09 stops it after 1000 polls
//! - `keeps_the_first_waker` (t05): after the future moves to another task, the wake goes to the old task
//! - `wakes_every_waker_seen` (t05): the old task is woken too
//! - `wakes_before_setting` (t06): the waker is woken, then the flag set under a second lock: a task woken on another thread can poll in between, find the flag unset, and sleep forever, its waker already used up
//! - `ready_clears_the_flag` (t07): the first wait to finish unsets the flag, so the next wait on a flag that was set hangs
//!
//! - `check_then_store_two_locks` (t10): the flag is checked under one lock and the waker stored under another: a `set` in between wakes nobody
//! - `wake_under_lock` (t11): `set` wakes the waker while it still holds the lock: a task woken on another thread blocks on that lock
//!
//! Blind answers: 6 tried, 2 passed before this test file caught them (2026-12): the
//! two above, which an older header called uncatchable ("no test can force the thread
//! interleaving"). t10 forces it: its waker, when the poll clones it, has another
//! thread call `set` and waits until that `set` is done or asleep on the lock. t11's
//! waker, when woken, has another thread poll a second wait and sees whether it blocks.
//! Both wait for an event (done, or asleep: `timeline::faults::threads`), never for time.
//!
//! Equivalent mutants (cargo-mutants cannot tell them apart from the solution):
//! - mutant `replace match guard waker.will_wake(cx.waker()) with false in <impl Future for Wait>::poll`: then every poll stores a fresh clone of its waker, which wakes the same task; `will_wake` only saves the clone, as the lesson says

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use timeline::faults::futures::hooked_waker;
use timeline::faults::threads::{Seen, Sleeper};
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

/// A waker that, each time it is woken, writes down what it saw of the flag: `Flag`'s
/// `Debug` shows its state without blocking (a `Mutex` prints `<locked>` while held).
struct LookingWaker {
    flag: Flag,
    seen: Mutex<Vec<String>>,
}

impl Wake for LookingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let state = format!("{:?}", self.flag);
        self.seen.lock().unwrap().push(state);
    }
}

#[test]
fn t06_the_flag_is_set_before_the_wake() {
    let flag = Flag::new();
    let mut wait = flag.wait();
    let looking = Arc::new(LookingWaker {
        flag: flag.clone(),
        seen: Mutex::new(Vec::new()),
    });
    let waker = Waker::from(looking.clone());
    let mut cx = Context::from_waker(&waker);
    assert_pending!(Pin::new(&mut wait).poll(&mut cx));
    flag.set();

    let seen = looking.seen.lock().unwrap().clone();
    assert!(
        !seen.is_empty(),
        "set() did not wake the task that is waiting: store cx.waker() in poll, call it in \
         set()"
    );
    for state in &seen {
        assert!(
            !state.contains("set: false"),
            "set() woke the waiting task while the flag was still unset ({state}): on a \
             multi-thread runtime the woken task can be polled at once, find the flag unset, \
             store a new waker that nobody will wake, and sleep forever. Set the flag first \
             (under the lock), then wake"
        );
    }
}

#[test]
fn t07_a_set_flag_stays_set() {
    let flag = Flag::new();
    let mut first = task::spawn(flag.wait());
    assert_pending!(first.poll());
    flag.set();
    assert_ready!(first.poll(), "the flag is set: the waiting future is Ready");
    let mut second = task::spawn(flag.wait());
    assert_ready!(
        second.poll(),
        "the flag was set, and a wait that finished does not unset it: every later wait() \
         is Ready at once. A Flag is set once and stays set; a wait that cleared it would \
         leave the next waiter hanging"
    );
}

#[test]
fn t08_a_set_from_another_thread_wakes_the_task() {
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
async fn t09_on_a_runtime_the_waiter_finishes_when_the_flag_is_set() {
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

/// Runs `work` on a new thread and waits until it is done or asleep (blocked on a
/// lock): `true` if it was done.
fn done_or_blocked(work: impl FnOnce() + Send + 'static) -> (bool, std::thread::JoinHandle<()>) {
    let (to_test, sleeper) = std::sync::mpsc::channel();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let worker = {
        let done = done.clone();
        std::thread::spawn(move || {
            to_test
                .send(Sleeper::current())
                .expect("the test waits for it");
            work();
            done.store(true, Ordering::SeqCst);
        })
    };
    let sleeper = sleeper.recv().expect("the worker sends it first");
    let seen = sleeper.wait(|| done.load(Ordering::SeqCst));
    (seen == Seen::Event, worker)
}

#[test]
fn t10_a_set_while_the_poll_stores_its_waker_is_not_lost() {
    let flag = Flag::new();
    let mut wait = flag.wait();
    let setter = Arc::new(Mutex::new(None));
    // The moment the poll clones the waker to store it, another thread sets the flag:
    // it either finishes (the poll held no lock) or blocks on the poll's lock.
    let (waker, wakes) = {
        let (flag, setter) = (flag.clone(), setter.clone());
        hooked_waker(
            move || {
                let mut setter = setter.lock().unwrap();
                if setter.is_none() {
                    let flag = flag.clone();
                    *setter = Some(done_or_blocked(move || flag.set()).1);
                }
            },
            || {},
        )
    };
    let first = Pin::new(&mut wait).poll(&mut Context::from_waker(&waker));
    let setter = setter.lock().unwrap().take();
    if let Some(setter) = setter {
        setter.join().expect("set() should not panic");
    }
    assert!(
        first.is_ready() || wakes.wakes() == 1,
        "another thread called set() while poll was storing its waker, after poll had \
         found the flag unset: set() found no waker and woke nobody, and the wait now \
         sleeps forever with its flag set. Check the flag and store the waker under one \
         lock, so that set() runs before both or after both"
    );
}

#[test]
fn t11_set_wakes_the_task_after_letting_go_of_the_lock() {
    let flag = Flag::new();
    let mut wait = flag.wait();
    let blocked = Arc::new(Mutex::new(None));
    // When woken, the waker has another thread poll a second wait on the same flag, as
    // a task woken on another thread would: does it block on the flag's lock?
    let (waker, wakes) = {
        let (flag, blocked) = (flag.clone(), blocked.clone());
        hooked_waker(
            || {},
            move || {
                let second = flag.wait();
                let (done, poller) = done_or_blocked(move || {
                    let mut second = second;
                    let _ = Pin::new(&mut second).poll(&mut Context::from_waker(Waker::noop()));
                });
                *blocked.lock().unwrap() = Some((done, poller));
            },
        )
    };
    assert!(
        Pin::new(&mut wait)
            .poll(&mut Context::from_waker(&waker))
            .is_pending()
    );
    flag.set();
    let (done, poller) = blocked
        .lock()
        .unwrap()
        .take()
        .expect("set() should wake the stored waker (see t03)");
    poller
        .join()
        .expect("the second wait's poll should not panic");
    assert_eq!(wakes.wakes(), 1);
    assert!(
        done,
        "set() woke the waiting task while still holding the flag's lock: the woken task, \
         polled at once on another thread, blocked on that very lock until set() returned. \
         Take the waker out, let the lock go, then wake"
    );
}
