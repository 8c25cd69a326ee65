//! Wrong: an empty string is a backend's way of saying "I have nothing", so I keep asking the next one.
//! Class: sentinel value (empty answer) treated as a miss
//! Breaks: "`Fallback::get(id)` asks its `Box<dyn DynDatabase>` backends in list order, one at a time, and returns the first `Some`." (README.md)

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
        for backend in &self.backends {
            match backend.get(id).await {
                Some(value) if !value.is_empty() => return Some(value),
                _ => continue,
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

