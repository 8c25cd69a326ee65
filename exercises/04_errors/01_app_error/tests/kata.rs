//! Wrong answers these tests reject:
//! - the seed's `#[error("Database error: {0}")]`, which prints the source's text inside
//!   the wrapper's, so a report says it twice (t01, t03)
//! - `#[error(transparent)]` on a wrapper: the application's words disappear (t01)
//! - a `NotFound` text without the entity or the id (t01)
//! - a wrapper without `#[from]`/`#[source]`: `source()` is `None`, the chain is cut (t02)
//! - a `report` that prints only the top error, or joins with another separator (t03)
//! - `unwrap()`/`expect()` on the database result instead of `?` (t06: it panics)
//! - a missing user mapped to an empty user or `Ok` with no posts (t05)
//! - `NotFound` with the wrong entity or a hard-coded id (t05)
//! - asking the posts service before knowing the user exists, or concurrently with it (t05)
//! - a database error mapped to `NotFound` (e.g. `.ok().flatten()` as in the seed) (t06)
//! - an HTTP error swallowed into an empty post list (t07)

use std::collections::HashMap;
use std::error::Error;
use std::sync::atomic::Ordering;

use app_error::{
    AppError, Db, DbError, HttpError, Post, PostsApi, User, UserWithPosts, report, user_with_posts,
};

fn ada() -> User {
    User {
        id: 1,
        name: "Ada".into(),
    }
}

fn db_with_ada() -> Db {
    Db {
        users: HashMap::from([(1, ada())]),
        failure: None,
    }
}

fn api_with_posts() -> PostsApi {
    PostsApi {
        posts: HashMap::from([(
            1,
            vec![Post {
                title: "Notes on the engine".into(),
            }],
        )]),
        ..PostsApi::default()
    }
}

#[test]
fn t01_display_texts_are_exact() {
    let cases = [
        (AppError::Db(DbError::ConnectionLost), "database error"),
        (
            AppError::Http(HttpError { status: 503 }),
            "posts service error",
        ),
        (
            AppError::NotFound {
                entity: "user",
                id: 7,
            },
            "user 7 not found",
        ),
    ];
    for (err, expected) in cases {
        assert_eq!(
            err.to_string(),
            expected,
            "the Display text of {err:?} is what a user or a log sees: it names the layer \
             that failed in the application's words, and leaves the lower-level details to \
             source()"
        );
    }
}

#[test]
fn t02_wrappers_keep_their_source() {
    let db = AppError::Db(DbError::Query("syntax error".into()));
    let source = db.source().and_then(|s| s.downcast_ref::<DbError>());
    assert_eq!(
        source,
        Some(&DbError::Query("syntax error".into())),
        "AppError::Db must return the DbError it wraps from source(): #[from] (or #[source]) \
         keeps the chain, so whoever logs the error can still see the cause"
    );

    let http = AppError::Http(HttpError { status: 503 });
    let source = http.source().and_then(|s| s.downcast_ref::<HttpError>());
    assert_eq!(
        source,
        Some(&HttpError { status: 503 }),
        "AppError::Http must return the HttpError it wraps from source()"
    );

    let missing = AppError::NotFound {
        entity: "user",
        id: 7,
    };
    assert!(
        missing.source().is_none(),
        "NotFound has no lower-level cause: its source() is None"
    );
}

#[test]
fn t03_report_walks_the_source_chain() {
    let err = AppError::Db(DbError::Query("syntax error".into()));
    assert_eq!(
        report(&err),
        "database error: query failed: syntax error",
        "report() prints the error, then every source() in turn, joined by \": \". If a \
         text appears twice, the wrapper's #[error] repeats its source ({{0}}): keep one of \
         the two, the source chain"
    );
    let missing = AppError::NotFound {
        entity: "post",
        id: 3,
    };
    assert_eq!(
        report(&missing),
        "post 3 not found",
        "an error without a source is reported as its own text only"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_a_found_user_comes_with_their_posts() {
    let result = user_with_posts(&db_with_ada(), &api_with_posts(), 1).await;
    assert_eq!(
        result.ok(),
        Some(UserWithPosts {
            user: ada(),
            posts: vec![Post {
                title: "Notes on the engine".into()
            }],
        }),
        "user 1 exists and has one post: user_with_posts must await both calls and return \
         Ok with the user and their posts"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_missing_user_is_not_found_with_context() {
    let api = api_with_posts();
    let result = user_with_posts(&db_with_ada(), &api, 42).await;
    assert!(
        matches!(
            result,
            Err(AppError::NotFound {
                entity: "user",
                id: 42
            })
        ),
        "find_user gave Ok(None) for user 42: `.ok_or(AppError::NotFound {{ entity: \"user\", \
         id }})?` turns that None into the error, naming what was missing. Got {result:?}"
    );
    assert_eq!(
        api.requests.load(Ordering::SeqCst),
        0,
        "the posts service was asked about a user that does not exist: return NotFound \
         before making the second call"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_database_failure_becomes_app_error_db() {
    let db = Db {
        failure: Some(DbError::ConnectionLost),
        ..db_with_ada()
    };
    let api = api_with_posts();
    let result = user_with_posts(&db, &api, 1).await;
    assert!(
        matches!(result, Err(AppError::Db(DbError::ConnectionLost))),
        "find_user failed with DbError::ConnectionLost: `?` converts it into AppError::Db \
         through the From impl that #[from] generates. A failure is not a missing user. \
         Got {result:?}"
    );
    assert_eq!(
        api.requests.load(Ordering::SeqCst),
        0,
        "after the database failed, `?` returns at once: the posts service is not asked"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_an_http_failure_becomes_app_error_http() {
    let api = PostsApi {
        failure: Some(HttpError { status: 502 }),
        ..api_with_posts()
    };
    let result = user_with_posts(&db_with_ada(), &api, 1).await;
    assert!(
        matches!(result, Err(AppError::Http(HttpError { status: 502 }))),
        "posts_of failed with HTTP 502: `?` converts it into AppError::Http. Swallowing it \
         into an empty list of posts would hide the outage. Got {result:?}"
    );
}
