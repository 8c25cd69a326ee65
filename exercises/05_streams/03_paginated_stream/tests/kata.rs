//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `pending_right_after_starting_the_fetch` (t01, t02, t04, t05, t06, t07, t08): `Pending` without polling the new fetch, nothing will wake the task
//! - `spawns_the_first_fetch_in_new` (t01, t02, t03, t04, t05, t08): `new` spawns the fetch of page 0 at once
//! - `new_fetch_on_every_poll` (t02, t03, t04, t05, t06, t07, t08): a new fetch future on every poll, the page is requested again
//! - `prefetches_the_next_page` (t04, t05): the next page is fetched as soon as a page arrives
//! - `empty_page_ends_the_stream` (t07): an empty page taken for the end
//! - `fetches_until_an_empty_page` (t06, t07, t08): ignores `next`, fetches until a page comes back empty
//!
//! Blind answers: 6 tried, 0 passed before this test file (2026-12).

use std::time::Duration;

use futures::StreamExt;
use paginated_stream::{Items, PagedApi};
use tokio::time::{Instant, advance};
use tokio_test::{assert_pending, assert_ready_eq, task};

const LATENCY: Duration = Duration::from_millis(100);

fn api() -> PagedApi {
    PagedApi::new(vec![vec![1, 2, 3], vec![4, 5], vec![6]], LATENCY)
}

#[tokio::test(start_paused = true)]
async fn t01_nothing_is_fetched_before_the_first_poll() {
    let api = api();
    let mut items = task::spawn(Items::new(api.clone()));
    advance(Duration::from_secs(1)).await;
    assert_eq!(
        api.fetch_log(),
        [] as [u32; 0],
        "the stream was created but nobody asked for an item: a lazy stream fetches nothing yet"
    );
    assert_pending!(items.poll_next(), "the first page takes 100ms to arrive");
    assert_eq!(
        api.fetch_log(),
        [0],
        "the first poll sends the request for page 0"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_the_first_item_arrives_with_the_first_page() {
    let mut items = task::spawn(Items::new(api()));
    assert_pending!(
        items.poll_next(),
        "the first poll starts the fetch of page 0, which takes 100ms: Pending"
    );
    advance(LATENCY).await;
    assert!(
        items.is_woken(),
        "page 0 arrived but the task was not woken: return Pending only after polling the \
         stored fetch future with the same Context, so that it can wake you"
    );
    assert_ready_eq!(items.poll_next(), Some(1), "the first item of page 0");
}

#[tokio::test(start_paused = true)]
async fn t03_polling_again_while_waiting_does_not_fetch_again() {
    let api = api();
    let mut items = task::spawn(Items::new(api.clone()));
    for _ in 0..3 {
        assert_pending!(
            items.poll_next(),
            "page 0 takes 100ms and has not arrived yet, so the poll returns Pending"
        );
        advance(LATENCY / 4).await;
    }
    assert_eq!(
        api.fetch_log(),
        [0],
        "the stream was polled 3 times while page 0 was on its way, and must keep polling \
         the same fetch: building a new future on each poll requests the page again"
    );
    advance(LATENCY).await;
    assert_ready_eq!(
        items.poll_next(),
        Some(1),
        "page 0 has arrived: the next poll yields its first item"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_the_items_of_a_page_need_no_more_fetches() {
    let api = api();
    let mut items = task::spawn(Items::new(api.clone()));
    assert_pending!(
        items.poll_next(),
        "the first poll starts the fetch of page 0, which takes 100ms: Pending"
    );
    advance(LATENCY).await;
    assert_ready_eq!(
        items.poll_next(),
        Some(1),
        "page 0 has arrived: its first item is ready"
    );
    assert_ready_eq!(
        items.poll_next(),
        Some(2),
        "page 0 is in memory: its items are ready at once"
    );
    assert_ready_eq!(
        items.poll_next(),
        Some(3),
        "page 0 is in memory: its third item is ready at once"
    );
    assert_eq!(
        api.fetch_log(),
        [0],
        "the three items of page 0 came from one fetch"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_the_next_page_is_fetched_only_when_asked_for() {
    let api = api();
    let mut items = task::spawn(Items::new(api.clone()));
    assert_pending!(
        items.poll_next(),
        "the first poll starts the fetch of page 0, which takes 100ms: Pending"
    );
    advance(LATENCY).await;
    for expected in [1, 2, 3] {
        assert_ready_eq!(
            items.poll_next(),
            Some(expected),
            "page 0 has arrived: item {expected} is ready at once, with no new fetch"
        );
    }
    advance(Duration::from_secs(1)).await;
    assert_eq!(
        api.fetch_log(),
        [0],
        "every item of page 0 has been yielded, but nobody has asked for a 4th: page 1 must \
         not be fetched yet (no prefetching: the consumer may stop here)"
    );
    assert_pending!(
        items.poll_next(),
        "now the 4th item is asked for: page 1 is on its way"
    );
    assert_eq!(
        api.fetch_log(),
        [0, 1],
        "asking for the 4th item should start the fetch of page 1, and only that one"
    );
    advance(LATENCY).await;
    assert_ready_eq!(
        items.poll_next(),
        Some(4),
        "page 1 has arrived: its first item, 4, is ready"
    );
}

/// `take(100)`: a stream that never ends but never waits either (always `Ready`) fails
/// here at once, instead of spinning in `collect` and hanging the test.
#[tokio::test(start_paused = true)]
async fn t06_every_item_in_order_then_the_end() {
    let api = api();
    let start = Instant::now();
    let all: Vec<u32> = tokio::time::timeout(
        Duration::from_secs(3600),
        Items::new(api.clone()).take(100).collect(),
    )
    .await
    .expect(
        "the stream never ended within an hour of virtual time: after the last page \
                 (next: None) it must yield None, and each Pending must come from polling a \
                 stored fetch, which wakes the task when its page arrives",
    );
    assert_eq!(
        all,
        [1, 2, 3, 4, 5, 6],
        "all items of pages 0, 1, 2, in order"
    );
    assert_eq!(
        api.fetch_log(),
        [0, 1, 2],
        "page 2 says next: None, so the stream ends there: no request for a page 3"
    );
    assert_eq!(
        start.elapsed(),
        LATENCY * 3,
        "three fetches of 100ms, one after the other"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_an_empty_page_is_not_the_end() {
    let api = PagedApi::new(vec![vec![1, 2], vec![], vec![3]], LATENCY);
    let all: Vec<u32> = tokio::time::timeout(
        Duration::from_secs(3600),
        Items::new(api.clone()).take(100).collect(),
    )
    .await
    .expect("the stream never ended");
    assert_eq!(
        all,
        [1, 2, 3],
        "page 1 is empty but says next: Some(2): only `next: None` ends the stream, so fetch \
         page 2 in the same poll instead of stopping"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_after_the_end_the_stream_stays_ended() {
    let api = PagedApi::new(vec![vec![1]], LATENCY);
    let mut items = task::spawn(Items::new(api.clone()));
    assert_pending!(
        items.poll_next(),
        "the first poll starts the fetch of page 0, which takes 100ms: Pending"
    );
    advance(LATENCY).await;
    assert_ready_eq!(
        items.poll_next(),
        Some(1),
        "page 0 has arrived: its one item is ready"
    );
    assert_ready_eq!(
        items.poll_next(),
        None,
        "page 0 was the last one: the stream is over"
    );
    assert_ready_eq!(
        items.poll_next(),
        None,
        "polled again after the end, it still says None"
    );
    assert_eq!(api.fetch_log(), [0], "and it does not fetch anything again");
}

#[test]
fn t09_any_pages_every_item_in_order_each_page_fetched_only_when_needed() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    // Pages of 0 to 4 items (empty ones too), 1 to 6 of them.
    let pages = proptest::collection::vec(proptest::collection::vec(any::<u32>(), 0..5), 1..7);
    // Six pages at most, 100 ms each: ten seconds of virtual time is plenty, and a stream
    // that never yields fails fast instead of polling for an hour.
    const ENOUGH: Duration = Duration::from_secs(10);
    TestRunner::new(Config {
        cases: 150,
        rng_seed: RngSeed::Fixed(0x0503),
        failure_persistence: None,
        ..Config::default()
    })
    .run(&pages, |pages| {
        let all: Vec<u32> = pages.concat();
        // Ask for k items, for every k: the pages fetched are exactly those up to the
        // one that holds item k (the empty ones before it included), in order.
        for k in 0..=all.len() {
            let api = PagedApi::new(pages.clone(), LATENCY);
            let got: Vec<u32> = runtime.block_on(async {
                let mut items = Items::new(api.clone());
                let mut got = Vec::new();
                for _ in 0..k {
                    match tokio::time::timeout(ENOUGH, items.next()).await {
                        Ok(Some(item)) => got.push(item),
                        _ => break,
                    }
                }
                got
            });
            let needed = if k == 0 {
                0
            } else {
                let mut seen = 0;
                pages
                    .iter()
                    .position(|page| {
                        seen += page.len();
                        seen >= k
                    })
                    .map_or(pages.len(), |page| page + 1)
            };
            let fetched = api.fetch_log();
            prop_assert_eq!(
                (&got[..], &fetched[..]),
                (&all[..k], &(0..needed as u32).collect::<Vec<_>>()[..]),
                "pages {:?}, {} items asked for: the first {} items, in order, having \
                 fetched pages 0 to the one that holds item {} and no further (an empty \
                 page is skipped, not the end)",
                pages,
                k,
                k,
                k
            );
        }
        // Then the end, for good, with no fetch after the last page.
        let api = PagedApi::new(pages.clone(), LATENCY);
        let (everything, after) = runtime.block_on(async {
            let mut items = Items::new(api.clone());
            let mut everything = Vec::new();
            while let Ok(Some(item)) = tokio::time::timeout(ENOUGH, items.next()).await {
                everything.push(item);
            }
            let after = tokio::time::timeout(ENOUGH, items.next())
                .await
                .unwrap_or(Some(u32::MAX));
            (everything, after)
        });
        prop_assert_eq!(
            (&everything, after, api.fetch_log()),
            (&all, None, (0..pages.len() as u32).collect::<Vec<_>>()),
            "pages {:?}: every item of every page, in order, each page fetched once, then \
             the end (None), and None again when asked after it",
            pages
        );
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
