//! Sequential vs concurrent: the same fetches awaited one after the other, joined, and
//! joined over N.
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `sequential_written_with_join` (t01): `fetch_two_sequentially` joins both fetches: 1 s, not 2 s
//! - `concurrent_awaits_one_then_the_other` (t03): both futures created, then awaited in turn: 2 s
//! - `join_outputs_swapped` (t04): `join!(fetch_user(b), fetch_user(a))`: outputs swapped
//! - `fetch_all_awaits_in_a_loop` (t05, t07): each fetch awaited in a `for` loop: N seconds
//! - `fetch_all_builds_futures_then_awaits_each` (t05, t07): futures built, then awaited in turn
//! - `fetch_all_in_completion_order` (t06): `FuturesUnordered`: completion order, not id order
//! - `sequential_creates_both_first` (t09): both fetches' futures created up front, then awaited in turn: the second is created before the first has finished
//! - `skip_duplicate_ids` (t10): an id given twice is fetched once and answered once
//!
//! Blind answers: 7 tried, 2 passed before this test file caught them (2026-12): the
//! two above. t09 records when each fetch is created, not only when it runs; t10 runs
//! `fetch_all` over generated ids (duplicates, unsorted, empty, one, `u32::MAX`) with
//! a latency per id.

use std::cell::RefCell;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use sequential_vs_concurrent::{
    LATENCY, fetch_all, fetch_two_concurrently, fetch_two_sequentially, fetch_user,
};
use timeline::Timeline;
use tokio::time::{Instant, sleep};

/// `fetch_user`, recorded on `timeline`: the same latency, the same answer, and a bar
/// on the timeline from when the fetch started to when it ended.
fn recorded(timeline: &Timeline) -> impl AsyncFn(u32) -> String + '_ {
    async move |id| {
        timeline
            .run(format!("fetch_user({id})"), fetch_user(id))
            .await
    }
}

#[tokio::test(start_paused = true)]
async fn t01_sequential_fetches_take_the_sum_of_their_latencies() {
    let timeline = Timeline::new();
    timeline.expect("sequential: fetch_user(2) starts when fetch_user(1) ends, 2000 ms in all");
    let start = Instant::now();
    fetch_two_sequentially(1, 2, recorded(&timeline)).await;
    let took = start.elapsed();
    assert_eq!(
        took,
        2 * LATENCY,
        "two one-second fetches awaited one after the other take exactly 2 s of virtual \
         time; they took {took:?}, so they did not run one after the other\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_sequential_fetches_return_both_users_in_order() {
    assert_eq!(
        fetch_two_sequentially(7, 3, fetch_user).await,
        ("user-7".to_string(), "user-3".to_string()),
        "fetch_two_sequentially(7, 3) should give (fetch_user(7), fetch_user(3))"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_concurrent_fetches_take_only_the_slowest_latency() {
    let timeline = Timeline::new();
    timeline.expect("concurrent would take 1000 ms: both fetches from 0 ms to 1000 ms");
    let start = Instant::now();
    fetch_two_concurrently(1, 2, recorded(&timeline)).await;
    let took = start.elapsed();
    assert_eq!(
        took,
        LATENCY,
        "two one-second fetches joined with `join!` wait side by side and take exactly 1 s \
         of virtual time; they took {took:?}. Awaiting one future, then the other, is \
         sequential even inside one async fn: `join!` polls both at once\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_concurrent_fetches_keep_the_order_of_the_arguments() {
    assert_eq!(
        fetch_two_concurrently(7, 3, fetch_user).await,
        ("user-7".to_string(), "user-3".to_string()),
        "`join!` returns its outputs in the order of its futures, not the order they \
         finish in: fetch_two_concurrently(7, 3) should give (user-7, user-3)"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_fetching_n_users_concurrently_takes_one_latency() {
    let ids: Vec<u32> = (1..=10).collect();
    let timeline = Timeline::new();
    timeline.expect("concurrent would take 1000 ms: all ten from 0 ms to 1000 ms");
    let start = Instant::now();
    let users = fetch_all(&ids, recorded(&timeline)).await;
    let took = start.elapsed();
    assert_eq!(users.len(), 10, "ten ids in, ten users out");
    assert_eq!(
        took,
        LATENCY,
        "ten one-second fetches run together take 1 s of virtual time; they took \
         {took:?}. Build all the futures first, then await them together with join_all\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_results_come_back_in_the_order_of_the_ids() {
    // The first id is the slowest: completion order is the reverse of the id order.
    let fetch = async |id: u32| {
        sleep(Duration::from_millis(100 * u64::from(10 - id))).await;
        id * 10
    };
    let results = fetch_all(&[1, 2, 3, 4], fetch).await;
    assert_eq!(
        results,
        [10, 20, 30, 40],
        "results must follow the order of the ids even though id 4 finished first: \
         join_all keeps the order of its futures; collecting as they complete does not"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_every_id_is_fetched_exactly_once_and_all_start_at_once() {
    let started = RefCell::new(Vec::new());
    let timeline = Timeline::new();
    let fetch = async |id: u32| {
        started.borrow_mut().push((id, Instant::now()));
        timeline.run(format!("fetch({id})"), sleep(LATENCY)).await;
        id
    };
    let t0 = Instant::now();
    fetch_all(&[5, 6, 7], fetch).await;
    let started = started.into_inner();
    let mut ids: Vec<u32> = started.iter().map(|&(id, _)| id).collect();
    ids.sort_unstable();
    assert_eq!(ids, [5, 6, 7], "each id should be fetched exactly once");
    assert!(
        started.iter().all(|&(_, at)| at == t0),
        "every fetch should start at once, at 0 s of virtual time; they started at \
         {:?} after the call\n\n{}",
        started.iter().map(|&(_, at)| at - t0).collect::<Vec<_>>(),
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_fetching_no_ids_is_immediate_and_empty() {
    let start = Instant::now();
    let users = fetch_all(&[], fetch_user).await;
    assert!(users.is_empty(), "no ids in, no users out");
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "with nothing to fetch there is nothing to wait for"
    );
}

#[tokio::test(start_paused = true)]
async fn t09_sequentially_the_second_fetch_is_created_after_the_first_ends() {
    let events = RefCell::new(Vec::new());
    // A plain closure returning a future is an AsyncFn too: calling it creates the
    // fetch (noted at once), awaiting it runs the fetch.
    let fetch = |id: u32| {
        events.borrow_mut().push(format!("create {id}"));
        let events = &events;
        async move {
            sleep(LATENCY).await;
            events.borrow_mut().push(format!("end {id}"));
            id
        }
    };
    fetch_two_sequentially(1, 2, fetch).await;
    assert_eq!(
        events.into_inner(),
        ["create 1", "end 1", "create 2", "end 2"],
        "sequentially, the second fetch is not even created until the first has finished: \
         call fetch(b) only after fetch(a).await"
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

/// Each id's latency: 0 to 400 ms, the same for the same id.
fn latency(id: u32) -> Duration {
    Duration::from_millis(u64::from(id.wrapping_mul(37) % 5) * 100)
}

#[test]
fn t10_fetch_all_fetches_every_id_once_at_once_in_order_for_any_ids() {
    let ids = prop::collection::vec(prop_oneof![4 => 0..6u32, 1 => Just(u32::MAX)], 0..7);
    check(64, ids, |ids| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a paused runtime");
        runtime.block_on(async {
            let timeline = Timeline::new();
            let started = RefCell::new(Vec::new());
            let fetch = async |id: u32| {
                started.borrow_mut().push((id, Instant::now()));
                timeline
                    .run(format!("fetch({id})"), sleep(latency(id)))
                    .await;
                id
            };
            let t0 = Instant::now();
            let results = fetch_all(&ids, fetch).await;
            let elapsed = t0.elapsed();
            let mut started = started.into_inner();
            let slowest = ids.iter().map(|&id| latency(id)).max().unwrap_or_default();
            let late = started.iter().any(|&(_, at)| at != t0);
            started.sort_unstable();
            let mut expected_calls: Vec<u32> = ids.clone();
            expected_calls.sort_unstable();
            let calls: Vec<u32> = started.iter().map(|&(id, _)| id).collect();
            if results != ids || calls != expected_calls || late || elapsed != slowest {
                return Err(format!(
                    "fetch_all({ids:?}) gave {results:?} after {elapsed:?}, having called fetch \
                     for {calls:?}{}: it should call fetch once for every id in the list, \
                     repeated ids too, start them all at once, and give one result per id in \
                     the order of the ids, after the slowest ({slowest:?}). This is the \
                     smallest list of ids that shows it.\n\n{}",
                    if late { ", not all at once" } else { "" },
                    timeline.render()
                ));
            }
            Ok(())
        })
    });
}
