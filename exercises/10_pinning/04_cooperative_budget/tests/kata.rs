//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `never_yields` (t01, t03): plain loops: every future is ready, so the task never gives the thread back
//! - `std_thread_yield` (t01, t03): `std::thread::yield_now()`: yields the OS thread, which runs this very task on
//! - `yields_every_item` (t02): `yield_now()` after every item, whatever `every` says
//! - `asks_has_budget_remaining` (t03): yields when `has_budget_remaining()` is false, but nothing here spends the budget
//! - `budget_spent_once` (t03): one `consume_budget()` before the loop, none inside it
//! - `yield_now_instead_of_budget` (t04): `yield_now()` on every item in `total_budgeted`: a trip through the scheduler per item
//!
//! Mutants: cargo-mutants finds 17 viable, all killed (the given `lookup` included).
//!
//! Everything runs on the test's current-thread runtime, the only thread there is: the
//! heartbeat task can run only when the worker task gives the thread back. It is always
//! ready to run, and notes how many items the worker had done each time it gets the
//! thread. The counts are exact for a given tokio: no clock, no second thread, nothing
//! left to chance.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;

use cooperative_budget::{total_budgeted, total_yielding};

/// tokio's cooperative budget: how many budgeted operations a task may do per poll
/// (`Budget::initial()` in tokio's `task/coop/mod.rs`, 128 in tokio 1.54).
const BUDGET: usize = 128;

/// Items for the budget's tests: 20 budgets' worth.
const ITEMS: u32 = 2560;

fn every(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("at least 1")
}

fn expected_total(items: &[u32]) -> u64 {
    items.iter().map(|&i| u64::from(i) * 3 + 1).sum()
}

/// Returns `Pending` once, waking its task at once: the task goes to the back of the run
/// queue, so it runs again as soon as the thread is free. (`yield_now` would defer the
/// wake-up until the scheduler next checks for I/O and timers, and the heartbeat would
/// then miss every other yield of the worker.)
async fn ready_again() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

/// What the heartbeat saw while the worker ran.
struct Beats {
    /// How many items were done, each time the heartbeat got the thread while the
    /// worker was busy (once per turn of the worker: the same count is not repeated).
    during: Vec<usize>,
    /// The most items done between two chances for the heartbeat to run.
    longest_gap: usize,
}

/// Spawns a heartbeat that beats whenever it gets the thread, then the worker `work`
/// (given the progress counter), and waits for the worker. Checks the worker's total.
async fn with_heartbeat<W, Fut>(items: Vec<u32>, work: W) -> Beats
where
    W: FnOnce(Vec<u32>, Arc<AtomicUsize>) -> Fut,
    Fut: Future<Output = u64> + Send + 'static,
{
    let n = items.len();
    let expected = expected_total(&items);
    let progress = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let heartbeat = tokio::spawn({
        let (progress, seen) = (progress.clone(), seen.clone());
        async move {
            loop {
                seen.lock()
                    .expect("not poisoned")
                    .push(progress.load(Ordering::Relaxed));
                ready_again().await;
            }
        }
    });
    let worker = tokio::spawn(work(items, progress.clone()));
    let total = match worker.await {
        Ok(total) => total,
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(err) => panic!("the worker task failed: {err}"),
    };
    heartbeat.abort();
    assert_eq!(
        total, expected,
        "the total of lookup(item) over the items is wrong"
    );
    assert_eq!(
        progress.load(Ordering::Relaxed),
        n,
        "progress must count every item once"
    );
    let mut seen = seen.lock().expect("not poisoned").clone();
    seen.dedup();
    let during: Vec<usize> = seen.iter().copied().filter(|&p| p > 0 && p < n).collect();
    let mut points = vec![0];
    points.extend(&seen);
    points.push(n);
    let longest_gap = points
        .windows(2)
        .map(|w| w[1].saturating_sub(w[0]))
        .max()
        .unwrap_or(0);
    Beats {
        during,
        longest_gap,
    }
}

#[tokio::test(start_paused = true)]
async fn t01_yielding_lets_the_heartbeat_beat() {
    let beats = with_heartbeat((0..1000).collect(), |items, progress| {
        total_yielding(items, every(100), progress)
    })
    .await;
    assert!(
        beats.longest_gap <= 100,
        "the heartbeat went {} items without a beat, and 100 was promised: every future \
         here is ready at once, so the loop never returns `Pending` by itself and keeps \
         the only thread of this runtime. `tokio::task::yield_now().await` returns \
         `Pending` once (and wakes itself), which gives the scheduler a chance to run \
         the other tasks. (`std::thread::yield_now()` yields the OS thread, not the task: \
         the same task runs on.)",
        beats.longest_gap
    );
    assert!(
        beats.during.len() >= 9,
        "1000 items, a yield every 100: the heartbeat should have beaten at least 9 times \
         while the worker was busy; it beat {} times",
        beats.during.len()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_yielding_only_as_often_as_asked() {
    let beats = with_heartbeat((0..1000).collect(), |items, progress| {
        total_yielding(items, every(100), progress)
    })
    .await;
    assert!(
        beats.during.len() <= 10,
        "1000 items, a yield every 100: at most 10 chances for the heartbeat while the \
         worker is busy, but it beat {} times. Each yield is a trip through the scheduler: \
         yield after items 100, 200, ..., not after every one",
        beats.during.len()
    );
    let beats = with_heartbeat(vec![1, 2, 3], |items, progress| {
        total_yielding(items, every(1), progress)
    })
    .await;
    assert_eq!(
        beats.longest_gap, 1,
        "with every = 1 the worker yields after each item"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_the_budget_lets_the_heartbeat_beat() {
    let beats = with_heartbeat((0..ITEMS).collect(), total_budgeted).await;
    assert!(
        beats.longest_gap <= BUDGET + 1,
        "the heartbeat went {} items without a beat: the worker kept the thread. Nothing \
         in its loop spends tokio's cooperative budget (a lookup in memory is no tokio \
         resource), so the budget never runs out and the task never yields; \
         `has_budget_remaining()` stays true for the same reason. Spend a unit per item \
         with `tokio::task::coop::consume_budget().await`: once {BUDGET} units are spent \
         in one poll, the next one returns `Pending` and the heartbeat gets the thread \
         (so at most {BUDGET} + 1 items go by, counting the one whose unit found the \
         budget empty)",
        beats.longest_gap
    );
}

#[tokio::test(start_paused = true)]
async fn t04_the_budget_yields_only_when_it_is_spent() {
    let beats = with_heartbeat((0..ITEMS).collect(), total_budgeted).await;
    assert!(
        beats.during.len() <= ITEMS as usize / (BUDGET / 2),
        "{ITEMS} items and a budget of {BUDGET} per poll: about {} yields, but the \
         heartbeat beat {} times while the worker was busy. `consume_budget()` yields only \
         when the budget is used up; `yield_now()` on every item yields every time",
        ITEMS as usize / BUDGET,
        beats.during.len()
    );
    assert!(
        !beats.during.is_empty(),
        "the worker never gave the heartbeat a beat"
    );
}
