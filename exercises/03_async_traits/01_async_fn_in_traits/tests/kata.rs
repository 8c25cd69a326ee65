//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `get_takes_the_record_out` (t02, t06): `get` removes the record instead of cloning it
//! - `save_keeps_the_first_record` (t03): `entry().or_insert`: a second save of an id is lost
//! - `save_replaces_the_whole_map` (t02, t04): `save` replaces the map, losing earlier records
//! - `register_without_the_taken_check` (t06, t08): saves without asking: overwrites a user
//! - `register_same_data_is_fine` (t06): a second registration with the same data succeeds
//! - `register_ignores_the_save_error` (t07): the save's error dropped, success reported
//! - `save_never_awaited` (t05, t07, t08): `save` called, its future dropped unpolled
//! - `profile_asks_twice` (t10): one `get` to check, a second to read
//! - `case_insensitive_keys` (t11): ids lower-cased before they are keys: "Ada" and "ada" are one user
//!
//! Blind answers: 7 tried, 1 passed before this test file caught it (2026-12):
//! `case_insensitive_keys`; the lesson and the stub now say that an id is a key exactly
//! as given, and t11 runs generated sequences of saves and reads (ids differing in case,
//! spaces, accents, the empty id) against a plain map. (The stub also said tokio's
//! `RwLock`, against the lesson: it is std's now, as in the solution.)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_fn_in_traits::{Database, DbError, InMemoryDb, Record, ServiceError, UserService};
use futures::future::join_all;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use tokio::time::{Instant, sleep};

/// A backend defined here, in the tests: the service must work with any `Database`.
/// Every call takes 100 ms and is written to a shared log; `save` can be made to fail.
#[derive(Default)]
struct LoggingDb {
    inner: InMemoryDb,
    log: Arc<Mutex<Vec<String>>>,
    broken: bool,
}

impl Database for LoggingDb {
    async fn get(&self, id: &str) -> Option<Record> {
        self.log.lock().unwrap().push(format!("get {id}"));
        sleep(Duration::from_millis(100)).await;
        self.inner.get(id).await
    }

    async fn save(&self, record: &Record) -> Result<(), DbError> {
        self.log.lock().unwrap().push(format!("save {}", record.id));
        sleep(Duration::from_millis(100)).await;
        if self.broken {
            return Err(DbError::Unavailable);
        }
        self.inner.save(record).await
    }
}

#[tokio::test]
async fn t01_an_unknown_id_has_no_record() {
    let db = InMemoryDb::new();
    assert_eq!(
        db.get("ada").await,
        None,
        "an empty store has no record for \"ada\""
    );
}

#[tokio::test]
async fn t02_a_saved_record_can_be_read_back() {
    let db = InMemoryDb::new();
    db.save(&Record::new("ada", "analyst")).await.unwrap();
    db.save(&Record::new("alan", "mathematician"))
        .await
        .unwrap();
    assert_eq!(
        db.get("ada").await,
        Some(Record::new("ada", "analyst")),
        "get(\"ada\") should give back the record saved under \"ada\""
    );
    assert_eq!(
        db.get("alan").await,
        Some(Record::new("alan", "mathematician")),
        "get(\"alan\") should give back the record saved under \"alan\""
    );
    assert_eq!(
        db.get("ada").await,
        Some(Record::new("ada", "analyst")),
        "reading \"ada\" a second time should give the record again: get clones the \
         record out of the map and leaves it stored"
    );
}

#[tokio::test]
async fn t03_saving_an_id_again_replaces_its_record() {
    let db = InMemoryDb::new();
    db.save(&Record::new("ada", "analyst")).await.unwrap();
    db.save(&Record::new("ada", "programmer")).await.unwrap();
    assert_eq!(
        db.get("ada").await,
        Some(Record::new("ada", "programmer")),
        "saving a record whose id is already stored replaces the old record"
    );
}

#[tokio::test]
async fn t04_many_saves_through_a_shared_reference_all_land() {
    let db = InMemoryDb::new();
    let records: Vec<Record> = (0..20)
        .map(|i| Record::new(&format!("user{i}"), "x"))
        .collect();
    // Twenty saves in flight at once, all through `&db`: the lock inside sorts them out.
    let results = join_all(records.iter().map(|r| db.save(r))).await;
    assert!(
        results.iter().all(Result::is_ok),
        "an in-memory save does not fail"
    );
    for record in &records {
        assert_eq!(
            db.get(&record.id).await.as_ref(),
            Some(record),
            "after twenty concurrent saves, every record should be stored; {} is missing",
            record.id
        );
    }
}

#[tokio::test]
async fn t05_register_stores_a_new_user() {
    let service = UserService::new(InMemoryDb::new());
    let record = service.register("grace", "admiral").await;
    assert_eq!(
        record,
        Ok(Record::new("grace", "admiral")),
        "registering a new id should save and return its record"
    );
    assert_eq!(
        service.profile("grace").await,
        Ok(Record::new("grace", "admiral")),
        "the registered user should be in the database afterwards"
    );
}

#[tokio::test]
async fn t06_register_refuses_a_taken_id() {
    let service = UserService::new(InMemoryDb::new());
    service.register("grace", "admiral").await.unwrap();
    assert_eq!(
        service.register("grace", "impostor").await,
        Err(ServiceError::AlreadyExists("grace".to_string())),
        "a second registration of \"grace\" should be refused"
    );
    assert_eq!(
        service.register("grace", "admiral").await,
        Err(ServiceError::AlreadyExists("grace".to_string())),
        "registering \"grace\" again with the very same data is refused too: the id is \
         taken, whatever the data"
    );
    assert_eq!(
        service.profile("grace").await.map(|r| r.data),
        Ok("admiral".to_string()),
        "the refused registration must not overwrite the existing user"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_register_reports_a_database_failure() {
    let service = UserService::new(LoggingDb {
        broken: true,
        ..LoggingDb::default()
    });
    assert_eq!(
        service.register("grace", "admiral").await,
        Err(ServiceError::Db(DbError::Unavailable)),
        "when save fails, register should fail with that error (`?` converts it \
         through #[from]), not report a user it did not store"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_register_awaits_get_then_save_on_any_database() {
    let db = LoggingDb::default();
    let log = db.log.clone();
    let service = UserService::new(db);
    let start = Instant::now();
    service.register("grace", "admiral").await.unwrap();
    let took = start.elapsed();
    assert_eq!(
        *log.lock().unwrap(),
        ["get grace", "save grace"],
        "register should ask the database once whether the id is taken, then save once"
    );
    assert_eq!(
        took,
        Duration::from_millis(200),
        "on a backend whose calls take 100 ms each, register should take 200 ms of \
         virtual time: the get, then the save, each awaited; it took {took:?}"
    );
}

#[tokio::test]
async fn t09_the_profile_of_an_unknown_user_is_not_found() {
    let service = UserService::new(InMemoryDb::new());
    assert_eq!(
        service.profile("nobody").await,
        Err(ServiceError::NotFound("nobody".to_string())),
        "profile of an id that was never registered should be NotFound"
    );
}

#[tokio::test(start_paused = true)]
async fn t10_profile_asks_the_database_once() {
    let db = LoggingDb::default();
    let log = db.log.clone();
    let service = UserService::new(db);
    service.register("grace", "admiral").await.unwrap();
    log.lock().unwrap().clear();
    let start = Instant::now();
    assert_eq!(
        service.profile("grace").await,
        Ok(Record::new("grace", "admiral")),
        "profile should give the registered record"
    );
    let took = start.elapsed();
    assert_eq!(
        *log.lock().unwrap(),
        ["get grace"],
        "profile should make exactly one `get`: its answer is already the record, or None"
    );
    assert_eq!(
        took,
        Duration::from_millis(100),
        "on a backend whose calls take 100 ms, profile should take 100 ms of virtual \
         time, one awaited get; it took {took:?}"
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
fn t11_ids_are_keys_exactly_as_given_over_any_saves_and_reads() {
    // Ids that a normalising store would mix up.
    let id = prop::sample::select(vec!["ada", "Ada", "ADA", " ada", "åsa", "Åsa", ""]);
    let data = prop::sample::select(vec!["analyst", "poet", ""]);
    // Some(data): save(id, data); None: get(id).
    let ops = prop::collection::vec((id, prop::option::of(data)), 1..10);
    check(128, ops, |ops| {
        let db = InMemoryDb::new();
        let mut model = std::collections::HashMap::new();
        for (step, (id, data)) in ops.iter().enumerate() {
            match data {
                Some(data) => {
                    let record = Record::new(id, data);
                    futures::executor::block_on(db.save(&record)).map_err(|e| format!("{e:?}"))?;
                    model.insert(*id, record);
                }
                None => {
                    let got = futures::executor::block_on(db.get(id));
                    let expected = model.get(id).cloned();
                    if got != expected {
                        return Err(format!(
                            "after {:?}, get({id:?}) gave {got:?}, not {expected:?}: an id is a \
                             key exactly as given (case, spaces and accents count), and a \
                             read leaves the record stored. Operations: (id, Some(data)) is a \
                             save, (id, None) a get; this is the shortest list that shows it",
                            &ops[..step]
                        ));
                    }
                }
            }
        }
        Ok(())
    });
}
