//! The storage backend, behind an async trait.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

/// Why a backend call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The backend is down or overloaded right now: worth trying again.
    #[error("backend unavailable")]
    Unavailable,
    /// The backend refused the request: trying again gives the same answer.
    #[error("backend rejected the request: {0}")]
    Rejected(String),
}

impl StoreError {
    /// Whether trying the same call again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Unavailable)
    }
}

/// A key-value backend. The methods are `async fn` for implementors; the declaration
/// promises `Send` futures so that a server can serve connections on spawned tasks.
pub trait Store: Send + Sync {
    /// The value of `key`, if any.
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;
    /// Sets `key` to `value`.
    fn set(&self, key: &str, value: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Removes `key`; `true` if it was there.
    fn del(&self, key: &str) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// An in-memory store.
#[derive(Debug, Default)]
pub struct MemoryStore {
    // A std Mutex is right here: it is never held across an `.await`.
    map: Mutex<HashMap<String, String>>,
}

impl Store for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.map.lock().unwrap().get(key).cloned())
    }

    async fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.map
            .lock()
            .unwrap()
            .insert(key.to_string(), value.to_string());
        Ok(())
    }

    async fn del(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self.map.lock().unwrap().remove(key).is_some())
    }
}
