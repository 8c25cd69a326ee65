//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `loop_body_awaits` (t01): `buffer_unordered(limit)` and `store(value).await` in the `while let` body: the buffered fetches are not polled during a store
//! - `for_each_stores` (t01): `buffer_unordered(limit).for_each(store)`: `for_each` polls the stream only between stores, the same stall
//! - `collect_then_store` (t03): collects every result first, then stores them: no stall, but each result waits for the slowest fetch
//! - `no_limit` (t02): `for_each_concurrent(None, ..)`: every fetch at once
//! - `one_at_a_time` (t02): a `for` loop, fetch then store: never stalls, never concurrent
//!
//! Mutants: cargo-mutants finds 1 (the body replaced by `()`), caught. The limit and what
//! runs inside the concurrent unit are method arguments it does not mutate: the
//! fixtures `no_limit`, `one_at_a_time`, `loop_body_awaits` and `collect_then_store` stand in.
//!
//! A fetch here records when it *finishes*, that is, when it is polled after its work is
//! done: a fetch that sits unpolled in a buffer finishes late, and the virtual clock
//! shows by how much.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::time::Duration;

use buffer_unordered_stall::fetch_and_store;
use timeline::Timeline;
use tokio::time::{Instant, sleep};

/// Long enough in virtual time that only a run that never ends reaches it.
const FOREVER: Duration = Duration::from_secs(3600);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn limit(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("a limit of at least 1")
}

/// What the fake fetches and stores saw, in virtual time from the start of the run.
#[derive(Default)]
struct Record {
    /// id → (fetch started, fetch finished).
    fetches: RefCell<BTreeMap<u32, (Duration, Duration)>>,
    /// id → when its store started, for every store.
    stores: RefCell<Vec<(u32, Duration)>>,
    in_flight: Cell<usize>,
    max_in_flight: Cell<usize>,
    /// Each fetch and store drawn: a fetch's bar ends when it is polled after its work,
    /// so a stalled fetch shows longer than its cost.
    timeline: Timeline,
}

/// Runs `fetch_and_store` over `ids`: fetching id `n` takes `cost(n)`, storing any
/// result takes `store_cost`. Returns what was recorded; `expected` is the shape the
/// timeline names as right.
async fn run(
    ids: Vec<u32>,
    max: usize,
    cost: impl Fn(u32) -> Duration,
    store_cost: Duration,
    expected: &str,
) -> Record {
    let record = Record::default();
    record.timeline.expect(expected);
    let start = Instant::now();
    let fetch = async |id: u32| {
        let began = start.elapsed();
        record.in_flight.set(record.in_flight.get() + 1);
        record
            .max_in_flight
            .set(record.max_in_flight.get().max(record.in_flight.get()));
        record
            .timeline
            .run(format!("fetch({id})"), sleep(cost(id)))
            .await;
        record.in_flight.set(record.in_flight.get() - 1);
        record
            .fetches
            .borrow_mut()
            .insert(id, (began, start.elapsed()));
        id
    };
    let store = async |id: u32| {
        record.stores.borrow_mut().push((id, start.elapsed()));
        record
            .timeline
            .run(format!("store({id})"), sleep(store_cost))
            .await;
    };
    tokio::time::timeout(FOREVER, fetch_and_store(ids, limit(max), fetch, store))
        .await
        .unwrap_or_else(|_| {
            panic!(
                "fetch_and_store did not return within an hour of virtual time\n\n{}",
                record.timeline.render()
            )
        });
    record
}

#[tokio::test(start_paused = true)]
async fn t01_no_fetch_waits_for_a_store() {
    let record = run(
        vec![1, 2, 3, 4],
        2,
        |_| ms(50),
        ms(100),
        "every fetch 50 ms long, however long the stores beside it take",
    )
    .await;
    let fetches = record.fetches.borrow();
    let late: Vec<String> = fetches
        .iter()
        .filter(|(_, (began, ended))| *ended - *began != ms(50))
        .map(|(id, (began, ended))| format!("fetch {id} ran from {began:?} to {ended:?}"))
        .collect();
    assert!(
        late.is_empty(),
        "every fetch takes 50 ms of work, but {}: it sat in the buffer, finished but \
         unpolled, while the loop body awaited a 100 ms store. `buffer_unordered` polls \
         its futures only while *it* is polled; a loop body that awaits something else \
         stalls them all. Let each unit of work run on its own: `for_each_concurrent` \
         (fetch and store in one unit), or `tokio::spawn`\n\n{}",
        late.join(", "),
        record.timeline.render()
    );
    assert_eq!(
        fetches.len(),
        4,
        "all 4 ids are fetched\n\n{}",
        record.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t02_at_most_limit_fetches_in_flight_and_the_limit_is_used() {
    let record = run(
        (1..=6).collect(),
        3,
        |_| ms(50),
        ms(10),
        "fetches 1, 2 and 3 side by side from 0 ms, then 4, 5 and 6",
    )
    .await;
    assert_eq!(
        record.max_in_flight.get(),
        3,
        "6 ids, a limit of 3: at most 3 fetches may be in flight at once, and with this \
         much work 3 should be (more means no limit; 1 means no concurrency at all)\n\n{}",
        record.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_each_result_is_stored_as_soon_as_it_is_fetched() {
    let costs = [(1, 80), (2, 20), (3, 30)];
    let cost = move |id| ms(costs.iter().find(|(i, _)| *i == id).map_or(0, |(_, c)| *c));
    let record = run(
        vec![1, 2, 3],
        2,
        cost,
        ms(100),
        "each store(n) starts the moment fetch(n) ends",
    )
    .await;
    let fetches = record.fetches.borrow();
    for &(id, began) in record.stores.borrow().iter() {
        let (_, fetched) = fetches[&id];
        assert_eq!(
            began,
            fetched,
            "the result of fetch {id} was ready at {fetched:?}, but its store began at \
             {began:?}: a result should be stored as soon as it is fetched, not after the \
             slowest fetch of the batch\n\n{}",
            record.timeline.render()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn t04_every_result_is_stored_exactly_once() {
    let record = run(
        (1..=7).collect(),
        3,
        |id| ms(u64::from(id % 3) * 15 + 5),
        ms(25),
        "7 fetches, 7 stores",
    )
    .await;
    let mut stored: Vec<u32> = record.stores.borrow().iter().map(|(id, _)| *id).collect();
    stored.sort_unstable();
    assert_eq!(
        stored,
        (1..=7).collect::<Vec<_>>(),
        "each of the 7 results is stored once, whatever order the fetches finish in\n\n{}",
        record.timeline.render()
    );
}
