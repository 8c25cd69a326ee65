//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `logs_when_called` (t02, t04, t05): `fetch` logs before its `async move` block, so the work runs when `fetch` is called, not when the future is polled
//! - `spawns_when_called` (t02, t03, t04, t05): `fetch` spawns the work and returns a future of the handle: eager, like a JavaScript promise
//! - `timer_started_when_called` (t03): `fetch` creates its sleep before the `async move` block, so the 1s starts when `fetch` is called, not at the first poll
//! - `done_before_the_sleep` (t04, t07): "done" is logged before the sleep, not after it
//! - `sleep_not_awaited` (t01, t03, t04, t06, t07): `let _ = sleep(..);` never waits
//! - `fetches_before_checking_the_cache` (t05): `cached_or` awaits the fetch first and picks the cache afterwards: the fetch runs although its result is thrown away
//! - `miss_returns_a_default` (t06): `cached_or` returns 0 on a miss instead of fetching
//! - `prefetch_with_spawn_local` (t07, t08): `spawn_local` where `tokio::spawn` was meant: it panics outside a `LocalSet`
//! - `zero_cached_is_miss` (t09): a cached `Some(0)` is taken for "nothing cached", and the fetch runs
//!
//! Blind answers: 6 tried, 1 passed before this test file caught it (2026-12):
//! `zero_cached_is_miss`, which t05's cached 7 never showed. t09 checks every cached
//! value (0, `u32::MAX`, any) against fetches ready at their first poll and pending
//! ones; t10 drops `fetch`'s future at each of its await points. Another,
//! `prefetch_on_blocking_thread` (`spawn_blocking` that drives the fetch with
//! `Handle::block_on`), hangs t07: the paused clock never jumps while a blocking task
//! runs, so its 1s sleep never ends; the runner's time limit ends it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lazy_futures::{Log, cached_or, fetch, prefetch};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use timeline::faults::futures::{Outcome, drop_at_each_await, pending_for};
use tokio::time::{Instant, advance, sleep};
use tokio_test::{assert_pending, assert_ready_eq, task};

fn new_log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn entries(log: &Log) -> Vec<String> {
    log.lock().unwrap().clone()
}

#[tokio::test(start_paused = true)]
async fn t01_fetch_logs_waits_one_second_and_returns_ten_times_the_id() {
    let log = new_log();
    let start = Instant::now();
    let value = fetch(log.clone(), 4).await;
    assert_eq!(value, 40, "fetch(log, 4).await should return 4 * 10");
    assert_eq!(
        entries(&log),
        ["fetch 4", "done 4"],
        "fetch logs `fetch 4` when it starts and `done 4` when its 1s wait is over"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "fetch should wait exactly 1s of virtual time: await tokio::time::sleep"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_calling_fetch_runs_nothing_until_the_future_is_awaited() {
    let log = new_log();
    let future = fetch(log.clone(), 1);
    // Give any task that `fetch` might have spawned a chance to run.
    tokio::task::yield_now().await;
    assert!(
        entries(&log).is_empty(),
        "calling fetch(..) already did work ({:?}): a Rust future is lazy, \
         nothing may happen before it is polled. Put all the work inside the async block",
        entries(&log)
    );
    assert_eq!(future.await, 10, "awaiting the future runs the fetch");
    assert_eq!(
        entries(&log),
        ["fetch 1", "done 1"],
        "once awaited, the fetch runs to the end: `fetch 1`, then `done 1` after the 1s \
         sleep"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_the_one_second_wait_starts_at_the_first_poll() {
    let log = new_log();
    let future = fetch(log.clone(), 1);
    // Time passes before anyone polls the future.
    sleep(Duration::from_secs(5)).await;
    let start = Instant::now();
    assert_eq!(future.await, 10, "awaiting the future runs the fetch");
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "fetch(..) was called, then 5s passed, then its future was awaited: the 1s wait must \
         start at that first poll, and take 1s from there. A sleep created before the async \
         block starts its timer when fetch is called: create it inside the block"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_the_first_poll_runs_up_to_the_first_pending_await() {
    let log = new_log();
    let mut future = task::spawn(fetch(log.clone(), 1));
    assert!(
        entries(&log).is_empty(),
        "nothing runs before the first poll"
    );

    assert_pending!(
        future.poll(),
        "the first poll should stop at the 1s sleep and return Pending"
    );
    assert_eq!(
        entries(&log),
        ["fetch 1"],
        "the first poll runs the code up to the first .await that is not ready, no further"
    );

    advance(Duration::from_secs(1)).await;
    assert!(
        future.is_woken(),
        "after 1s the sleep should wake the task, asking for another poll"
    );
    assert_ready_eq!(future.poll(), 10, "the second poll finishes the fetch");
    assert_eq!(
        entries(&log),
        ["fetch 1", "done 1"],
        "the second poll runs the rest of the body, after the sleep: the log gains `done 1`"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_cache_hit_drops_the_fetch_without_running_it() {
    let log = new_log();
    let start = Instant::now();
    let value = cached_or(Some(7), fetch(log.clone(), 1)).await;
    assert_eq!(value, 7, "a cache hit returns the cached value");
    // Give any task that the fetch might have spawned a chance to run.
    tokio::task::yield_now().await;
    assert!(
        entries(&log).is_empty(),
        "on a cache hit the fetch ran anyway ({:?}): a future that is dropped without \
         being polled has no effect, so just don't await it (in JavaScript, the promise \
         would already be running)",
        entries(&log)
    );
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "a cache hit should take no time at all"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_cache_miss_awaits_the_fetch() {
    let log = new_log();
    let start = Instant::now();
    let value = cached_or(None, fetch(log.clone(), 2)).await;
    assert_eq!(value, 20, "a cache miss returns what the fetch returns");
    assert_eq!(
        entries(&log),
        ["fetch 2", "done 2"],
        "a cache miss runs the whole fetch: `fetch 2`, then `done 2` after its 1s sleep"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "a miss waits for the fetch"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_spawn_starts_the_work_before_anyone_awaits_it() {
    let log = new_log();
    let handle = prefetch(log.clone(), 3);
    // This test's task yields once; it does not await the handle.
    tokio::task::yield_now().await;
    assert_eq!(
        entries(&log),
        ["fetch 3"],
        "prefetch should hand fetch(log, 3) to the runtime with tokio::spawn: the runtime \
         polls a spawned task as soon as it gets the thread, nobody needs to await it"
    );
    let start = Instant::now();
    let value = handle.await.expect("the prefetch task should not panic");
    assert_eq!(value, 30, "the JoinHandle yields the task's output");
    assert_eq!(
        entries(&log),
        ["fetch 3", "done 3"],
        "awaiting the handle lets the spawned fetch finish: `done 3` follows after its 1s \
         sleep, and the fetch ran once"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "the task was already started: awaiting its handle waits for the rest of its 1s"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_a_spawned_task_runs_even_if_its_handle_is_dropped() {
    let log = new_log();
    drop(prefetch(log.clone(), 5));
    sleep(Duration::from_secs(2)).await;
    assert_eq!(
        entries(&log),
        ["fetch 5", "done 5"],
        "dropping a JoinHandle detaches the task, it does not cancel it: the spawned fetch \
         should run to the end (compare t05, where a dropped future never ran at all)"
    );
}

/// Runs `test` on `cases` generated inputs with a fixed seed and no persistence file;
/// a failure panics with the message of the smallest failing input proptest found.
fn check<S>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(2026),
        failure_persistence: None,
        ..Config::default()
    });
    match runner.run(&strategy, |value| test(value).map_err(TestCaseError::fail)) {
        Ok(()) => {}
        Err(TestError::Fail(why, _)) => panic!("{why}"),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn t09_any_cached_value_is_a_hit_even_zero() {
    let cached = prop_oneof![
        Just(None),
        Just(Some(0)),
        Just(Some(u32::MAX)),
        any::<Option<u32>>()
    ];
    // The fetch: ready at its first poll (0 Pendings) or pending a few polls first.
    check(
        256,
        (cached, 0..4usize, any::<u32>()),
        |(cached, pendings, fetched)| {
            let (fetch, probe) = pending_for(pendings, fetched);
            let value = futures::executor::block_on(cached_or(cached, fetch));
            let polls = probe.polls();
            match cached {
                Some(hit) if value != hit || polls != 0 => Err(format!(
                    "cached_or({cached:?}, fetch) gave {value} and polled the fetch {polls} \
                 times: every cached value is a hit, 0 and u32::MAX too, returned as it \
                 is without polling the fetch"
                )),
                None if value != fetched || !probe.finished() => Err(format!(
                    "cached_or(None, fetch) gave {value}: on a miss it awaits the fetch (which \
                 was pending {pendings} times, then gave {fetched}) and returns its output"
                )),
                _ => Ok(()),
            }
        },
    );
}

#[tokio::test(start_paused = true)]
async fn t10_fetch_dropped_at_each_await_point_stops_there() {
    // The log of the latest run.
    let current = std::cell::RefCell::new(new_log());
    let pendings = drop_at_each_await(
        10,
        || {
            let log = new_log();
            *current.borrow_mut() = log.clone();
            fetch(log, 6)
        },
        |outcome| {
            let log = entries(&current.borrow());
            match outcome {
                Outcome::DroppedAfter(0) => assert!(
                    log.is_empty(),
                    "fetch(log, 6) dropped without a poll logged {log:?}: a future that is \
                     never polled does nothing"
                ),
                Outcome::DroppedAfter(_) => assert_eq!(
                    log,
                    ["fetch 6"],
                    "fetch(log, 6) dropped while it sleeps should have logged only \
                     `fetch 6`: dropping a future cancels it at its await, the rest of \
                     its body never runs"
                ),
                Outcome::Finished(_, value) => {
                    assert_eq!(value, 60);
                    assert_eq!(log, ["fetch 6", "done 6"]);
                }
            }
        },
    )
    .await;
    assert_eq!(
        pendings, 1,
        "fetch should have exactly one await point that waits (its 1s sleep)"
    );
}
