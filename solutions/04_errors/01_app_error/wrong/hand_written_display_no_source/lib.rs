//! Wrong: a hand-written `Display` and an empty `impl Error`: `source()` is `None`, the chain is cut
//! One error type for the application's layers, built with `thiserror`, and `anyhow` at
//! its edge, where errors are reported rather than matched.

use std::collections::HashMap;
use std::error::Error;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use thiserror::Error;

// ---------------------------------------------------------------------------
// Lower-level libraries: a database client and an HTTP client. Fixed code.
// ---------------------------------------------------------------------------

/// What the database client can fail with.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DbError {
    #[error("connection lost")]
    ConnectionLost,
    #[error("query failed: {0}")]
    Query(String),
}

/// What the HTTP client can fail with.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("server answered {status}")]
pub struct HttpError {
    pub status: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: u32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserWithPosts {
    pub user: User,
    pub posts: Vec<Post>,
}

/// A fake database: each query takes 10 ms of (virtual) time.
#[derive(Debug, Default)]
pub struct Db {
    pub users: HashMap<u32, User>,
    /// When set, every query fails with this error.
    pub failure: Option<DbError>,
}

impl Db {
    pub async fn find_user(&self, id: u32) -> Result<Option<User>, DbError> {
        tokio::time::sleep(Duration::from_millis(10)).await;
        match &self.failure {
            Some(e) => Err(e.clone()),
            None => Ok(self.users.get(&id).cloned()),
        }
    }
}

/// A fake posts service over HTTP: each request takes 20 ms and is counted.
#[derive(Debug, Default)]
pub struct PostsApi {
    pub posts: HashMap<u32, Vec<Post>>,
    /// When set, every request fails with this error.
    pub failure: Option<HttpError>,
    pub requests: Arc<AtomicUsize>,
}

impl PostsApi {
    pub async fn posts_of(&self, user_id: u32) -> Result<Vec<Post>, HttpError> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        match &self.failure {
            Some(e) => Err(e.clone()),
            None => Ok(self.posts.get(&user_id).cloned().unwrap_or_default()),
        }
    }
}

// ---------------------------------------------------------------------------
// Your part.
// ---------------------------------------------------------------------------

/// The application's error: what went wrong, in the application's words.
///
/// Each wrapper names the layer that failed and keeps the lower-level error as its
/// `source()`; it does not repeat the source's text, so a report never says it twice.
#[derive(Debug)]
pub enum AppError {
    Db(DbError),
    Http(HttpError),
    NotFound { entity: &'static str, id: u32 },
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Db(_) => write!(f, "database error"),
            AppError::Http(_) => write!(f, "posts service error"),
            AppError::NotFound { entity, id } => write!(f, "{entity} {id} not found"),
        }
    }
}

impl Error for AppError {}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        AppError::Db(e)
    }
}

impl From<HttpError> for AppError {
    fn from(e: HttpError) -> Self {
        AppError::Http(e)
    }
}

/// Loads a user and their posts. A missing user is `NotFound`, and then the posts
/// service is not asked at all.
pub async fn user_with_posts(db: &Db, api: &PostsApi, id: u32) -> Result<UserWithPosts, AppError> {
    // First `?`: DbError -> AppError::Db through `From`. `ok_or` turns the `None`
    // into our error, and the second `?` returns it.
    let user = db
        .find_user(id)
        .await?
        .ok_or(AppError::NotFound { entity: "user", id })?;
    let posts = api.posts_of(id).await?;
    Ok(UserWithPosts { user, posts })
}

/// One line for a log: the error, then each `source()` in turn, joined by `": "`.
pub fn report(err: &(dyn Error + 'static)) -> String {
    let mut line = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

// ---------------------------------------------------------------------------
// The application's edge: `anyhow`.
// ---------------------------------------------------------------------------

/// The request handler's part: the profile line of user `id`, `{name}: {n} posts`
/// (e.g. `Ada: 1 posts`). On failure the error says what the application was doing,
/// `loading the profile of user {id}`, and keeps the `AppError` as its cause.
pub async fn profile_line(db: &Db, api: &PostsApi, id: u32) -> anyhow::Result<String> {
    // `with_context` wraps the AppError in an anyhow::Error whose Display is our text
    // and whose source() is the AppError itself: typed, still downcastable, chain kept.
    // (The closure builds the text only on failure.)
    let page = user_with_posts(db, api, id)
        .await
        .with_context(|| format!("loading the profile of user {id}"))?;
    Ok(format!("{}: {} posts", page.user.name, page.posts.len()))
}
