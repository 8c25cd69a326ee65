//! Wrong answers these tests reject:
//! - `fetch_two_sequentially` written with `join!` (t01: it must take 2 s, it took 1 s)
//! - `fetch_two_sequentially` that swaps or repeats the ids (t02)
//! - `fetch_two_concurrently` that awaits one fetch, then the other (t03: 2 s, not 1 s)
//! - `fetch_two_concurrently` that swaps or repeats the ids (t04)
//! - `fetch_all` that awaits each fetch in a loop (t05: N seconds, not 1 s)
//! - `fetch_all` that collects in completion order, e.g. with `FuturesUnordered` (t06)
//! - `fetch_all` that fetches only some of the ids (t05 counts them, t06, t07)
//! - `fetch_all` that fetches every id twice, e.g. a warm-up round (t05, t07)
//! - `fetch_all` that waits before starting the fetches (t05, t07, t08)

use std::cell::RefCell;
use std::time::Duration;

use sequential_vs_concurrent::{
    LATENCY, fetch_all, fetch_two_concurrently, fetch_two_sequentially, fetch_user,
};
use tokio::time::{Instant, sleep};

#[tokio::test(start_paused = true)]
async fn t01_sequential_fetches_take_the_sum_of_their_latencies() {
    let start = Instant::now();
    fetch_two_sequentially(1, 2).await;
    let took = start.elapsed();
    assert_eq!(
        took,
        2 * LATENCY,
        "two one-second fetches awaited one after the other take exactly 2 s of virtual \
         time; they took {took:?}, so they did not run one after the other"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_sequential_fetches_return_both_users_in_order() {
    assert_eq!(
        fetch_two_sequentially(7, 3).await,
        ("user-7".to_string(), "user-3".to_string()),
        "fetch_two_sequentially(7, 3) should give (fetch_user(7), fetch_user(3))"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_concurrent_fetches_take_only_the_slowest_latency() {
    let start = Instant::now();
    fetch_two_concurrently(1, 2).await;
    let took = start.elapsed();
    assert_eq!(
        took, LATENCY,
        "two one-second fetches joined with `join!` wait side by side and take exactly 1 s \
         of virtual time; they took {took:?}. Awaiting one future, then the other, is \
         sequential even inside one async fn: `join!` polls both at once"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_concurrent_fetches_keep_the_order_of_the_arguments() {
    assert_eq!(
        fetch_two_concurrently(7, 3).await,
        ("user-7".to_string(), "user-3".to_string()),
        "`join!` returns its outputs in the order of its futures, not the order they \
         finish in: fetch_two_concurrently(7, 3) should give (user-7, user-3)"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_fetching_n_users_concurrently_takes_one_latency() {
    let ids: Vec<u32> = (1..=10).collect();
    let start = Instant::now();
    let users = fetch_all(&ids, fetch_user).await;
    let took = start.elapsed();
    assert_eq!(users.len(), 10, "ten ids in, ten users out");
    assert_eq!(
        took, LATENCY,
        "ten one-second fetches run together take 1 s of virtual time; they took \
         {took:?}. Build all the futures first, then await them together with join_all"
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
    let fetch = async |id: u32| {
        started.borrow_mut().push((id, Instant::now()));
        sleep(LATENCY).await;
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
         {:?} after the call",
        started.iter().map(|&(_, at)| at - t0).collect::<Vec<_>>()
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
