//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `never_yields` (t01, t03): plain loops: every future is ready, so the task never gives the thread back
//! - `std_thread_yield` (t01, t03): `std::thread::yield_now()`: yields the OS thread, which runs this very task on
//! - `yields_every_item` (t02, t05): `yield_now()` after every item, whatever `every` says
//! - `yield_counter_not_reset` (t01, t02, t05): a counter of items since the last yield, never reset: one yield only
//! - `yield_counted_from_zero` (t05): `enumerate()` from 0 with `index % every == 0`: yields after items 1, `every + 1`, …
//! - `chunks_yield_after_last` (t05): a yield after each `chunks(every)`, a short last chunk included
//! - `asks_has_budget_remaining` (t03, t04, t06): yields when `has_budget_remaining()` is false, but nothing here spends the budget
//! - `budget_spent_once` (t03, t04, t06): one `consume_budget()` before the loop, none inside it
//! - `yield_now_instead_of_budget` (t04): `yield_now()` on every item in `total_budgeted`: a trip through the scheduler per item
//! - `budget_as_fixed_128` (t06): a yield by hand every 128 items instead of spending the task's budget
//! - `counts_from_shared_progress` (t07): numbers the items by `progress.fetch_add`: a counter that other work had moved yields at the wrong items
//!
//! Blind answers: 8 tried, 3 passed before this test file caught them (2026-12):
//! `budget_as_fixed_128` (a hand-made yield every 128 items in `total_budgeted`),
//! `chunks_yield_after_last` (a yield after each chunk of `every`, the short last one
//! included) and `yield_counted_from_zero` (`index % every == 0` from 0: yields after
//! items 1, `every + 1`, …). The heartbeat only bounded the gaps; t05 now counts the
//! worker's polls and checks exactly after which items it yields, for any number of
//! items and any `every` (1, equal to the count, `usize::MAX`), and t06 has the
//! worker's task spend part of its budget first (messages from a full channel, the
//! fault kit's `full_queue`), so the first yield must come that much sooner.
//! `yield_counter_not_reset` is a blind answer the tests already rejected, kept for its
//! mistake.
//! A second blind round (2026-12, after these tests): 6 tried, 1 passed:
//! `counts_from_shared_progress` (the items numbered by the shared counter, which every
//! test had started at 0; t07 starts it anywhere).
//!
//! Mutants: cargo-mutants finds 17 viable, all killed (the given `lookup` included).
//!
//! Everything runs on the test's current-thread runtime, the only thread there is: the
//! heartbeat task can run only when the worker task gives the thread back. It is always
//! ready to run, and notes how many items the worker had done each time it gets the
//! thread. The counts are exact for a given tokio: no clock, no second thread, nothing
//! left to chance.

use std::num::NonZeroUsize;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;

use cooperative_budget::{total_budgeted, total_yielding};
use timeline::faults::io::full_queue;

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
    /// How many times the worker's future was polled: one more than the times it gave
    /// the thread back (each `Pending` is followed by exactly one wake and one poll).
    polls: usize,
}

/// The worker's future, counting its polls.
struct Counted<F> {
    future: Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::Relaxed);
        self.future.as_mut().poll(cx)
    }
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
    let polls = Arc::new(AtomicUsize::new(0));
    let worker = tokio::spawn(Counted {
        future: Box::pin(work(items, progress.clone())),
        polls: polls.clone(),
    });
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
        polls: polls.load(Ordering::Relaxed),
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

/// What `total_yielding` over `n` items with `every` must have done: given back the
/// thread after items `every`, `2 * every`, … (the last item too, when it is one of
/// them) and at no other time. `Err` says what it did instead.
fn check_yields(n: usize, every: usize, beats: &Beats) -> Result<(), String> {
    let promised: Vec<usize> = (1..=n).filter(|done| done % every == 0).collect();
    let seen_before_the_end: Vec<usize> = promised.iter().copied().filter(|&p| p < n).collect();
    let yields = beats.polls - 1;
    if yields == promised.len() && beats.during == seen_before_the_end {
        return Ok(());
    }
    Err(format!(
        "{n} items, every = {every}: the worker yields after items {promised:?} \
         ({} yields: after item `every`, `2 * every`, …, counted from 1, the last item too \
         when it is one of them, and at no other time, not after a short last batch); it \
         gave the thread back {yields} times, and the heartbeat saw it do so after items \
         {:?} (the ones before the last)",
        promised.len(),
        beats.during
    ))
}

#[test]
fn t05_yielding_exactly_after_every_multiple_of_every() {
    use proptest::prelude::*;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    for (n, every) in [(0, 1), (1, 1), (5, 5), (6, 5), (4, 5), (3, usize::MAX)] {
        let beats = runtime.block_on(with_heartbeat((0..n).collect(), move |items, progress| {
            total_yielding(items, self::every(every), progress)
        }));
        if let Err(broken) = check_yields(n as usize, every, &beats) {
            panic!("{broken}");
        }
    }
    let case = (0u32..300).prop_flat_map(|n| {
        (
            Just(n),
            prop_oneof![Just(1usize), 1usize..40, Just(n.max(1) as usize)],
        )
    });
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 150,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1004),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })
    .run(&case, |(n, every)| {
        let beats = runtime.block_on(with_heartbeat((0..n).collect(), move |items, progress| {
            total_yielding(items, self::every(every), progress)
        }));
        check_yields(n as usize, every, &beats).map_err(TestCaseError::fail)
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

#[tokio::test(start_paused = true)]
async fn t06_the_budget_is_the_tasks_shared_with_what_it_spent_before() {
    for spent in [0, 50, 100, 127] {
        let beats = with_heartbeat((0..ITEMS).collect(), move |items, progress| async move {
            // The same task first takes `spent` messages from a channel that has them
            // all ready: each receive spends a unit of the budget of this poll.
            let (_tx, mut rx) = full_queue(spent.max(1), ());
            for _ in 0..spent {
                rx.recv().await.expect("a message is ready");
            }
            total_budgeted(items, progress).await
        })
        .await;
        let first = beats.during.first().copied().unwrap_or(ITEMS as usize);
        assert!(
            first <= BUDGET - spent + 1,
            "the worker's task received {spent} messages from a channel, spending {spent} \
             units of its budget of {BUDGET}, then ran total_budgeted: it should give the \
             thread back after at most {} items, when the budget runs out, but it went on \
             for {first}. The budget belongs to the task, and everything it does in one \
             poll spends from it: spend a unit per item with `consume_budget()`, do not \
             count {BUDGET} items yourself",
            BUDGET - spent + 1
        );
        assert!(
            beats.longest_gap <= BUDGET + 1,
            "after its first yield, the worker went {} items without a beat",
            beats.longest_gap
        );
    }
}

/// Runs `total_yielding` on a progress counter that earlier work has already moved to
/// `start`, and counts how often the worker gave the thread back (its polls, less one).
async fn yields_from(start: usize, n: u32, every: usize) -> usize {
    let progress = Arc::new(AtomicUsize::new(start));
    let polls = Arc::new(AtomicUsize::new(0));
    let worker = tokio::spawn(Counted {
        future: Box::pin(total_yielding(
            (0..n).collect(),
            self::every(every),
            progress.clone(),
        )),
        polls: polls.clone(),
    });
    if let Err(err) = worker.await {
        if err.is_panic() {
            std::panic::resume_unwind(err.into_panic());
        }
        panic!("the worker task failed: {err}");
    }
    assert_eq!(
        progress.load(Ordering::Relaxed),
        start + n as usize,
        "progress must count every item once, on top of what it held"
    );
    polls.load(Ordering::Relaxed) - 1
}

#[tokio::test(start_paused = true)]
async fn t07_the_items_are_counted_from_1_whatever_progress_held() {
    for start in 0..12 {
        for n in 0..12u32 {
            for every in 1..6 {
                let yields = yields_from(start, n, every).await;
                assert_eq!(
                    yields,
                    n as usize / every,
                    "{n} items, every = {every}, on a progress counter that already held \
                     {start} (other work counts there too): the worker yields after its own \
                     items `every`, `2 * every`, … counted from 1, so {} times, not {yields}: \
                     progress is for others to read, not the loop's own count",
                    n as usize / every
                );
            }
        }
    }
}
