//! Wrong: the fallback asks every backend and keeps the last answer it got
//! `Box<dyn …>` backends tried in order.

use futures::future::BoxFuture;

/// A backend, written with native `async fn`: fast, generic, and not dyn compatible.
#[trait_variant::make(Database: Send)]
pub trait LocalDatabase {
    async fn get(&self, id: &str) -> Option<String>;
}

/// The dyn-compatible face of every `Database`: the same method, returning a boxed
/// future (`Pin<Box<dyn Future<Output = …> + Send + 'a>>`), one type for every backend.
pub trait DynDatabase: Send + Sync {
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Option<String>>;
}

// Every `Database` is a `DynDatabase`: implementors never write boxing code themselves.
impl<T: Database + Sync> DynDatabase for T {
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Option<String>> {
        // Fully qualified: `T` has a `get` from each of its traits.
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
        let mut found = None;
        for backend in &self.backends {
            if let Some(value) = backend.get(id).await {
                found = Some(value);
            }
        }
        found
    }
}

// A `Fallback` is a `Database` too, so it can sit in another `Fallback`'s list.
impl Database for Fallback {
    async fn get(&self, id: &str) -> Option<String> {
        // The inherent method: it takes precedence over the traits' `get`s.
        Fallback::get(self, id).await
    }
}
