//! Wrong: a stuck backend must not stall the whole chain, so each one gets 1 s and then I move on to the next.
//! Class: timeout on a slow collaborator (slow answer skipped)
//! Breaks: "The fallback is a loop that waits for each backend's answer before it asks the next one, and stops at the first `Some`." (hints.md)

use std::time::Duration;
use futures::future::BoxFuture;

/// A backend, written with native `async fn`: fast, generic, and not dyn compatible.
#[trait_variant::make(Database: Send)]
pub trait LocalDatabase {
    async fn get(&self, id: &str) -> Option<String>;
}

/// The dyn-compatible face of every `Database`.
pub trait DynDatabase: Send + Sync {
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Option<String>>;
}

// Every `Database` is a `DynDatabase`: implementors never write boxing code themselves.
impl<T: Database + Sync> DynDatabase for T {
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Option<String>> {
        Box::pin(Database::get(self, id))
    }
}

/// Backends of any types, asked in order until one knows the answer.
pub struct Fallback {
    backends: Vec<Box<dyn DynDatabase>>,
}

impl Fallback {
    pub fn new(backends: Vec<Box<dyn DynDatabase>>) -> Self {
        Self { backends }
    }

    /// Asks each backend in turn, one at a time; the first `Some` wins and the
    /// backends after it are not asked.
    pub async fn get(&self, id: &str) -> Option<String> {
        const PER_BACKEND: Duration = Duration::from_secs(1);
        for backend in &self.backends {
            if let Ok(Some(value)) = tokio::time::timeout(PER_BACKEND, backend.get(id)).await {
                return Some(value);
            }
        }
        None
    }
}

// A `Fallback` is a `Database` too, so it can sit in another `Fallback`'s list.
impl Database for Fallback {
    async fn get(&self, id: &str) -> Option<String> {
        Fallback::get(self, id).await
    }
}

