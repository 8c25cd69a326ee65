//! Wrong: user ids should not depend on case, so the in-memory store keys records by the lower-cased id.
//! Class: key normalisation (case, non-ASCII)
//! Breaks: "`get` (a clone of the record, if any; reading leaves it stored) and `save` (insert, replacing a record with the same id)" (README.md)

use std::collections::HashMap;

use tokio::sync::RwLock;

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
#[allow(async_fn_in_trait)]
pub trait Database {
    /// The record stored under `id`, if any.
    async fn get(&self, id: &str) -> Option<Record>;
    /// Stores `record`, replacing any record with the same id.
    async fn save(&self, record: &Record) -> Result<(), DbError>;
}

/// A `Database` in memory.
#[derive(Debug, Default)]
pub struct InMemoryDb {
    records: RwLock<HashMap<String, Record>>,
}

impl InMemoryDb {
    pub fn new() -> Self {
        Self::default()
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

impl Database for InMemoryDb {
    async fn get(&self, id: &str) -> Option<Record> {
        self.records.read().await.get(&id.to_lowercase()).cloned()
    }

    async fn save(&self, record: &Record) -> Result<(), DbError> {
        self.records
            .write()
            .await
            .insert(record.id.to_lowercase(), record.clone());
        Ok(())
    }
}

impl<D: Database> UserService<D> {
    pub fn new(db: D) -> Self {
        Self { db }
    }

    /// Stores a new user and returns its record; an id that is taken is refused.
    pub async fn register(&self, id: &str, data: &str) -> Result<Record, ServiceError> {
        if self.db.get(id).await.is_some() {
            return Err(ServiceError::AlreadyExists(id.to_string()));
        }
        let record = Record::new(id, data);
        self.db.save(&record).await?;
        Ok(record)
    }

    /// The user's record, or `NotFound`.
    pub async fn profile(&self, id: &str) -> Result<Record, ServiceError> {
        self.db
            .get(id)
            .await
            .ok_or_else(|| ServiceError::NotFound(id.to_string()))
    }

}
