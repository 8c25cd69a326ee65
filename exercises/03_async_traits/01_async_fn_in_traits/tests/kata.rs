//! Wrong answers these tests reject:
//! - `get` that always answers `None`, or `save` that stores nothing (t02 to t06)
//! - `get` that returns some other record than the one asked for (t02, t04)
//! - `save` that keeps the first record for an id instead of replacing it (t03)
//! - `save` that replaces the whole map, losing earlier records (t02, t04)
//! - `register` that does not check whether the id is taken: overwrites a user (t06, t08)
//! - `register` that swallows the database's error and reports success unsaved (t07)
//! - `register` that saves twice (t08), or never saves (t05 to t08)
//! - `profile` that makes up a record for an unknown user (t09)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_fn_in_traits::{Database, DbError, InMemoryDb, Record, ServiceError, UserService};
use futures::future::join_all;
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
