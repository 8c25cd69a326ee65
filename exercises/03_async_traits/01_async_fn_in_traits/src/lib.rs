//! Native `async fn` in traits: a storage trait, an in-memory store, a generic service.

use std::collections::HashMap;

use std::sync::RwLock;

/// One stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    pub data: String,
}

impl Record {
    pub fn new(id: &str, data: &str) -> Self {
        Self {
            id: id.to_string(),
            data: data.to_string(),
        }
    }
}

/// A storage failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbError {
    #[error("the database is unavailable")]
    Unavailable,
}

/// Storage, as the service sees it: any backend with these two async methods.
// Plain `async fn` in a public trait warns: callers cannot require its futures to be
// `Send`. This kata does not spawn them; kata 03.02 is about that warning.
#[allow(async_fn_in_trait)]
pub trait Database {
    /// The record stored under `id`, if any.
    async fn get(&self, id: &str) -> Option<Record>;
    /// Stores `record`, replacing any record with the same id.
    async fn save(&self, record: &Record) -> Result<(), DbError>;
}

/// A `Database` in memory. `&self` methods share it, so the map sits behind a lock: the
/// standard library's `RwLock`, since no guard needs to live across an `.await` (each
/// one lives for one statement). Ids are keys exactly as given: `"Ada"` and `"ada"` are
/// two users.
#[derive(Debug, Default)]
pub struct InMemoryDb {
    records: RwLock<HashMap<String, Record>>,
}

impl InMemoryDb {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Database for InMemoryDb {
    async fn get(&self, id: &str) -> Option<Record> {
        let _ = &self.records;
        todo!("read-lock the records and clone the one for {id:?}")
    }

    async fn save(&self, record: &Record) -> Result<(), DbError> {
        todo!("write-lock the records and insert {record:?}")
    }
}

/// What can go wrong in the service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    #[error("user {0:?} already exists")]
    AlreadyExists(String),
    #[error("user {0:?} not found")]
    NotFound(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// User accounts on top of any `Database`.
#[derive(Debug)]
pub struct UserService<D> {
    db: D,
}

impl<D: Database> UserService<D> {
    pub fn new(db: D) -> Self {
        Self { db }
    }

    /// Stores a new user and returns its record; an id that is taken is refused.
    pub async fn register(&self, id: &str, data: &str) -> Result<Record, ServiceError> {
        todo!("refuse a taken id {id:?}, else save a record with {data:?}")
    }

    /// The user's record, or `NotFound`.
    pub async fn profile(&self, id: &str) -> Result<Record, ServiceError> {
        let _ = &self.db;
        todo!("get {id:?} from the database, or NotFound")
    }
}
