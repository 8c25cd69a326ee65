//! The storage backend, behind an async trait.

use std::future::Future;

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
