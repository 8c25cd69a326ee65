//! Dynamic dispatch: a blanket impl that boxes each backend's own future, and a list of
//! `Box<dyn DynDatabase>` backends asked in priority order. What does not compile (`dyn`
//! over an `async fn` trait, with or without `trait_variant`) is the reference case
//! `t08_reference_dyn_errors`.
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `blanket_impl_answers_none` (t01, t02, t06): the boxed future is a made-up one, not the backend's
//! - `fallback_keeps_the_last_answer` (t02, t03): every backend asked, the last answer kept
//! - `fallback_asks_only_the_first` (t02, t05): only the first backend is asked
//! - `fallback_asks_all_at_once` (t03, t04): `join_all` over the backends, first `Some` in list order
//! - `fallback_races_the_backends` (t03, t04): `FuturesUnordered`, first `Some` in time
//! - `fallback_asks_twice` (t03, t04): a backend asked whether it knows the id, then asked again

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dynamic_dispatch::{Database, DynDatabase, Fallback};
use tokio::time::{Instant, sleep};

type Log = Arc<Mutex<Vec<String>>>;

/// A backend that knows some ids, answers after `latency`, and logs every question.
struct MemDb {
    name: &'static str,
    records: HashMap<String, String>,
    latency: Duration,
    log: Log,
}

impl MemDb {
    fn new(name: &'static str, records: &[(&str, &str)], log: &Log) -> Self {
        Self {
            name,
            records: records
                .iter()
                .map(|&(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            latency: Duration::from_millis(10),
            log: log.clone(),
        }
    }

    fn slow(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }
}

impl Database for MemDb {
    async fn get(&self, id: &str) -> Option<String> {
        self.log.lock().unwrap().push(self.name.to_string());
        sleep(self.latency).await;
        self.records.get(id).cloned()
    }
}

/// Another backend type entirely: knows nothing.
struct Empty;

impl Database for Empty {
    async fn get(&self, _id: &str) -> Option<String> {
        None
    }
}

fn asked(log: &Log) -> Vec<String> {
    log.lock().unwrap().clone()
}

#[tokio::test(start_paused = true)]
async fn t01_any_database_can_be_used_as_a_dyn_database() {
    let log = Log::default();
    let backend: Box<dyn DynDatabase> = Box::new(MemDb::new("mem", &[("ada", "analyst")], &log));
    assert_eq!(
        backend.get("ada").await.as_deref(),
        Some("analyst"),
        "through Box<dyn DynDatabase>, get should run the backend's own `Database::get`"
    );
    assert_eq!(
        backend.get("nobody").await,
        None,
        "an unknown id is None, through dyn too"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_the_first_backend_that_knows_the_id_answers() {
    let log = Log::default();
    let fallback = Fallback::new(vec![
        Box::new(Empty),
        Box::new(MemDb::new("primary", &[], &log)),
        Box::new(MemDb::new("replica", &[("ada", "from replica")], &log)),
        Box::new(MemDb::new("archive", &[("ada", "from archive")], &log)),
    ]);
    assert_eq!(
        fallback.get("ada").await.as_deref(),
        Some("from replica"),
        "the empty backend and the primary miss, the replica is the first to know \"ada\""
    );
}

#[tokio::test(start_paused = true)]
async fn t03_backends_after_the_answer_are_not_asked() {
    let log = Log::default();
    let fallback = Fallback::new(vec![
        Box::new(MemDb::new("primary", &[], &log)),
        Box::new(MemDb::new("replica", &[("ada", "from replica")], &log)),
        Box::new(MemDb::new("archive", &[("ada", "from archive")], &log)),
    ]);
    fallback.get("ada").await;
    assert_eq!(
        asked(&log),
        ["primary", "replica"],
        "once the replica has answered, the archive must not be asked"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_backends_are_asked_one_at_a_time_in_order() {
    let log = Log::default();
    let fallback = Fallback::new(vec![
        Box::new(MemDb::new("primary", &[], &log).slow(Duration::from_millis(100))),
        Box::new(
            MemDb::new("replica", &[("ada", "from replica")], &log).slow(Duration::from_millis(50)),
        ),
        Box::new(
            MemDb::new("cache", &[("ada", "from cache")], &log).slow(Duration::from_millis(1)),
        ),
    ]);
    let start = Instant::now();
    let got = fallback.get("ada").await;
    let took = start.elapsed();
    assert_eq!(
        got.as_deref(),
        Some("from replica"),
        "the list is a priority order: the replica comes before the cache, even though \
         the cache answers faster. A fallback is not a race"
    );
    assert_eq!(
        took,
        Duration::from_millis(150),
        "the primary (100 ms) misses, then the replica (50 ms) answers: 150 ms of virtual \
         time, one backend after the other; it took {took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_when_nobody_knows_every_backend_is_asked_once() {
    let log = Log::default();
    let fallback = Fallback::new(vec![
        Box::new(MemDb::new("primary", &[], &log)),
        Box::new(Empty),
        Box::new(MemDb::new("replica", &[], &log)),
    ]);
    assert_eq!(fallback.get("ada").await, None, "no backend knows \"ada\"");
    assert_eq!(
        asked(&log),
        ["primary", "replica"],
        "every backend should be asked exactly once, in order"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_fallback_is_a_backend_too() {
    let log = Log::default();
    let inner = Fallback::new(vec![Box::new(MemDb::new(
        "replica",
        &[("ada", "nested")],
        &log,
    ))]);
    // `Fallback` implements `Database`, so the blanket impl makes it a `DynDatabase`.
    let outer = Fallback::new(vec![Box::new(Empty), Box::new(inner)]);
    assert_eq!(
        outer.get("ada").await.as_deref(),
        Some("nested"),
        "a Fallback inside a Fallback should answer like any other backend"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_a_fallback_can_serve_spawned_tasks() {
    let log = Log::default();
    let fallback = Arc::new(Fallback::new(vec![Box::new(MemDb::new(
        "primary",
        &[("ada", "analyst"), ("alan", "mathematician")],
        &log,
    ))]));
    // Boxed futures are `Send` here, so a task can await them.
    let tasks: Vec<_> = ["ada", "alan"]
        .into_iter()
        .map(|id| {
            let fallback = Arc::clone(&fallback);
            tokio::spawn(async move { fallback.get(id).await })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("a lookup task panicked"));
    }
    assert_eq!(
        answers,
        [
            Some("analyst".to_string()),
            Some("mathematician".to_string())
        ],
        "two spawned lookups through the same shared Fallback"
    );
}
