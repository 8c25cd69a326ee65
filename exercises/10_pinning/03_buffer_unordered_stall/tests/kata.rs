//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `loop_body_awaits` (t01, t05): `buffer_unordered(limit)` and `store(value).await` in the `while let` body: the buffered fetches are not polled during a store
//! - `for_each_stores` (t01, t05): `buffer_unordered(limit).for_each(store)`: `for_each` polls the stream only between stores, the same stall
//! - `collect_then_store` (t03, t05): collects every result first, then stores them: no stall, but each result waits for the slowest fetch
//! - `serial_storer_beside_fetchers` (t03, t05): the fetches send their results to one storer beside them: each store waits for the stores before it
//! - `no_limit` (t02, t05): `for_each_concurrent(None, ..)`: every fetch at once
//! - `one_at_a_time` (t02, t05): a `for` loop, fetch then store: never stalls, never concurrent
//! - `batches_of_limit` (t05): batches of `limit` ids joined one after the other: a free place waits for the whole batch
//! - `select_loop_drops_last_stores` (t04, t05): a `select!` loop left when the fetches are done: the stores still running are dropped
//!
//! Blind answers: 7 tried, 2 passed before this test file caught them (2026-12):
//! `batches_of_limit` (batches of `limit` ids, each fetched and stored in its own
//! future, joined batch after batch: no fetch stalls, but a free place waits for the
//! whole batch) and `select_loop_drops_last_stores` (a `select!` loop that ends with the
//! fetches, dropping the stores still running; kept with `biased;`, so that its verdict
//! does not depend on `select!`'s coin). t04 now checks that every store *finished*, and
//! t05 runs any costs (0, equal, unequal) of fetches and stores, any limit against 0 to
//! 9 ids, and checks at every instant that no fetch stalls, each store starts as its
//! fetch ends and finishes, the limit holds, and no place sits free while an id waits.
//! `serial_storer_beside_fetchers` is a blind answer the tests already rejected, kept
//! for its mistake.
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
    /// id → when its fetch started, for every fetch.
    started: RefCell<Vec<(u32, Duration)>>,
    /// id → when its store started, for every store.
    stores: RefCell<Vec<(u32, Duration)>>,
    /// id → when its store finished, for every store that did.
    stored: RefCell<Vec<(u32, Duration)>>,
    in_flight: Cell<usize>,
    max_in_flight: Cell<usize>,
    /// Each fetch and store drawn: a fetch's bar ends when it is polled after its work,
    /// so a stalled fetch shows longer than its cost.
    timeline: Timeline,
}

/// Runs `fetch_and_store` over `ids`: fetching id `n` takes `cost(n)`, storing its
/// result takes `store_cost(n)`. Returns what was recorded; `expected` is the shape the
/// timeline names as right.
async fn run(
    ids: Vec<u32>,
    max: usize,
    cost: impl Fn(u32) -> Duration,
    store_cost: impl Fn(u32) -> Duration,
    expected: &str,
) -> Record {
    let record = Record::default();
    record.timeline.expect(expected);
    let start = Instant::now();
    let fetch = async |id: u32| {
        let began = start.elapsed();
        record.started.borrow_mut().push((id, began));
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
            .run(format!("store({id})"), sleep(store_cost(id)))
            .await;
        record.stored.borrow_mut().push((id, start.elapsed()));
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
        |_| ms(100),
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
        |_| ms(10),
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
        |_| ms(100),
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
        |_| ms(25),
        "7 fetches, 7 stores",
    )
    .await;
    let mut started: Vec<u32> = record.stores.borrow().iter().map(|(id, _)| *id).collect();
    started.sort_unstable();
    assert_eq!(
        started,
        (1..=7).collect::<Vec<_>>(),
        "each of the 7 results is stored once, whatever order the fetches finish in\n\n{}",
        record.timeline.render()
    );
    let mut stored: Vec<u32> = record.stored.borrow().iter().map(|(id, _)| *id).collect();
    stored.sort_unstable();
    assert_eq!(
        stored,
        (1..=7).collect::<Vec<_>>(),
        "when fetch_and_store returns, each of the 7 stores must have finished: a store cut \
         off (its future dropped before it finished, say by a loop that stops once the \
         fetches are done) has stored nothing\n\n{}",
        record.timeline.render()
    );
}

/// What the lesson promises of one run over `ids` with `max` places, fetch costs `cost`
/// and store costs `store_cost` (ms, one per id): `Err` says which promise broke.
fn check_run(
    record: &Record,
    ids: &[u32],
    max: usize,
    cost: &[u64],
    store_cost: &[u64],
) -> Result<(), String> {
    let case = format!(
        "ids {ids:?}, a limit of {max}, fetches taking {cost:?} ms and stores {store_cost:?} ms"
    );
    let drawn = record.timeline.render();
    let fetches = record.fetches.borrow();
    let (started, stores, stored) = (
        record.started.borrow(),
        record.stores.borrow(),
        record.stored.borrow(),
    );
    let mut sorted: Vec<u32> = started.iter().map(|(id, _)| *id).collect();
    sorted.sort_unstable();
    if sorted != ids {
        return Err(format!(
            "{case}: every id is fetched exactly once; the fetches started were of {sorted:?}\n\n{drawn}"
        ));
    }
    for (n, &id) in ids.iter().enumerate() {
        let (began, ended) = fetches[&id];
        if ended - began != ms(cost[n]) {
            return Err(format!(
                "{case}: fetch {id} takes {} ms of work, but it ran from {} ms to {} ms: it \
                 sat finished but unpolled while something else was awaited. No fetch may \
                 wait for a store that is not its own\n\n{drawn}",
                cost[n],
                began.as_millis(),
                ended.as_millis()
            ));
        }
        let starts: Vec<u128> = stores
            .iter()
            .filter(|(i, _)| *i == id)
            .map(|(_, at)| at.as_millis())
            .collect();
        if starts != [ended.as_millis()] {
            return Err(format!(
                "{case}: fetch {id} was done at {} ms, so its result is stored then, once \
                 (stores may overlap: a store waits for nothing but its own fetch); its \
                 store started at {starts:?} ms\n\n{drawn}",
                ended.as_millis()
            ));
        }
        if stored.iter().filter(|(i, _)| *i == id).count() != 1 {
            return Err(format!(
                "{case}: when fetch_and_store returns, the store of {id} must have \
                 finished, once; it did not (cut off: a store future dropped before it \
                 finished has stored nothing)\n\n{drawn}"
            ));
        }
    }
    if record.max_in_flight.get() > max {
        return Err(format!(
            "{case}: {} fetches were in flight at once, more than the limit\n\n{drawn}",
            record.max_in_flight.get()
        ));
    }
    // A place is never left free while an id waits: at each instant something happens,
    // either `max` fetches are in flight, or `max` units (a fetch and then its store).
    let mut instants: Vec<Duration> = started
        .iter()
        .map(|(_, at)| *at)
        .chain(fetches.values().map(|(_, ended)| *ended))
        .chain(stored.iter().map(|(_, at)| *at))
        .collect();
    instants.sort_unstable();
    instants.dedup();
    for at in instants {
        let count =
            |events: &mut dyn Iterator<Item = Duration>| events.filter(|t| *t <= at).count();
        let begun = count(&mut started.iter().map(|(_, t)| *t));
        let fetched = count(&mut fetches.values().map(|(_, ended)| *ended));
        let done = count(&mut stored.iter().map(|(_, t)| *t));
        let (fetching, units) = (begun - fetched, begun - done);
        if begun < ids.len() && fetching < max && units < max {
            return Err(format!(
                "{case}: at {} ms, {} id(s) still waited to be fetched, but only {fetching} \
                 fetch(es) were in flight and {units} unit(s) (a fetch, then its store) \
                 held a place: a place was free and nobody took it. A new fetch starts as \
                 soon as a unit is done, not when a whole batch is\n\n{drawn}",
                at.as_millis(),
                ids.len() - begun
            ));
        }
    }
    Ok(())
}

#[test]
fn t05_any_costs_any_limit_no_stall_no_idle_place_every_store_done() {
    use proptest::prelude::*;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    // Costs of 0 (ready at the first poll) are drawn often, and equal costs too.
    let cost = || prop_oneof![Just(0u64), Just(50u64), 0u64..120];
    let case = (1usize..5, 0usize..10).prop_flat_map(move |(max, n)| {
        (
            Just(max),
            proptest::collection::vec(cost(), n),
            proptest::collection::vec(cost(), n),
        )
    });
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 250,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1003),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })
    .run(&case, |(max, cost, store_cost)| {
        let ids: Vec<u32> = (1..).take(cost.len()).collect();
        let record = runtime.block_on(run(
            ids.clone(),
            max,
            |id| ms(cost[id as usize - 1]),
            |id| ms(store_cost[id as usize - 1]),
            "each fetch as long as its work, each store right after its fetch, a new fetch as soon as a place is free",
        ));
        check_run(&record, &ids, max, &cost, &store_cost).map_err(TestCaseError::fail)
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
