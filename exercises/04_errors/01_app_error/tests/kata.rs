//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `display_repeats_source` (t01, t03, t09): the seed's `#[error("database error: {0}")]`, the cause's text twice in a report
//! - `transparent_wrappers` (t01, t02, t03, t09): `#[error(transparent)]`, the application's words disappear
//! - `not_found_text_without_entity` (t01, t03, t10): a `NotFound` text without the entity
//! - `hand_written_display_no_source` (t02, t03, t09): a hand-written `Display` and an empty `impl Error`, the chain is cut
//! - `report_top_only` (t03): `report` prints only the top error
//! - `report_one_level` (t03): `report` prints the error and its direct source only
//! - `report_other_separator` (t03): `report` joins with another separator
//! - `db_error_becomes_not_found` (t06, t09): the seed's `.ok().flatten()`, a failure becomes a missing user
//! - `db_error_replaced` (t06, t09): `map_err(|_| ...)` replaces the database's own error
//! - `unwrap_db_result` (t06, t09): `unwrap()` instead of `?`, a failure panics
//! - `posts_fetched_concurrently` (t05, t06, t10): the posts service is asked before the user is known to exist
//! - `not_found_wrong_entity` (t05, t10): `NotFound` names another entity
//! - `http_error_swallowed` (t07): an HTTP failure becomes an empty list of posts
//! - `anyhow_no_context` (t09, t10): `?` without `.context(...)`, the log does not say what was being done
//! - `anyhow_context_flattened` (t09, t10): context and cause formatted into one message, the `AppError` is gone
//! - `anyhow_source_to_string` (t09): the `AppError` stringified before the context, its source is lost
//! - `anyhow_context_without_id` (t09, t10): a context that does not say which user
//!
//! Blind answers: 6 tried, 0 passed before this test file (2026-12).

use std::collections::HashMap;
use std::error::Error;
use std::fmt;
use std::sync::atomic::Ordering;

use app_error::{
    AppError, Db, DbError, HttpError, Post, PostsApi, User, UserWithPosts, profile_line, report,
    user_with_posts,
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

/// An error one layer above `AppError`, to make a chain of three.
#[derive(Debug)]
struct Outer(AppError);

impl fmt::Display for Outer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("request failed")
    }
}

impl Error for Outer {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
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
    let outer = Outer(AppError::Db(DbError::Query("syntax error".into())));
    assert_eq!(
        report(&outer),
        "request failed: database error: query failed: syntax error",
        "a chain of three errors: report() follows source() until it is None, not only one \
         level down"
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
        failure: Some(DbError::Query("deadlock detected".into())),
        ..db_with_ada()
    };
    let api = api_with_posts();
    let requests = api.requests.clone();
    // In a task of its own, so that a panic (an unwrap) becomes a verdict.
    let result = tokio::spawn(async move { user_with_posts(&db, &api, 1).await })
        .await
        .expect(
            "user_with_posts panicked on a database failure: `?` returns the error to the \
             caller, unwrap() crashes the task",
        );
    assert!(
        matches!(&result, Err(AppError::Db(DbError::Query(q))) if q == "deadlock detected"),
        "find_user failed with DbError::Query(\"deadlock detected\"): `?` converts that very \
         error into AppError::Db through the From impl that #[from] generates. A failure is \
         not a missing user, and the cause stays what it was. Got {result:?}"
    );
    assert_eq!(
        requests.load(Ordering::SeqCst),
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

#[tokio::test(start_paused = true)]
async fn t08_profile_line_on_success() {
    let line = profile_line(&db_with_ada(), &api_with_posts(), 1).await;
    assert_eq!(
        line.ok().as_deref(),
        Some("Ada: 1 posts"),
        "user 1 is Ada, with one post: the profile line is `{{name}}: {{n}} posts`"
    );
}

#[tokio::test(start_paused = true)]
async fn t09_profile_line_adds_context_and_keeps_the_cause() {
    let db = Db {
        failure: Some(DbError::Query("deadlock detected".into())),
        ..db_with_ada()
    };
    let err = profile_line(&db, &api_with_posts(), 1)
        .await
        .expect_err("the database failed: profile_line must fail too");
    assert_eq!(
        format!("{err:#}"),
        "loading the profile of user 1: database error: query failed: deadlock detected",
        "`{{:#}}` prints an anyhow::Error with every cause, joined by \": \": the context first \
         (what the application was doing, `.with_context(|| format!(...))`), then the \
         AppError's own chain"
    );
    let chain: Vec<String> = err.chain().map(|e| e.to_string()).collect();
    assert_eq!(
        chain,
        [
            "loading the profile of user 1",
            "database error",
            "query failed: deadlock detected"
        ],
        "err.chain() walks the causes one by one: the context wraps the AppError as its \
         source, it does not swallow it into one message"
    );
    assert!(
        matches!(err.downcast_ref::<AppError>(), Some(AppError::Db(_))),
        "the cause is still the typed AppError: `err.downcast_ref::<AppError>()` finds it, so \
         code above can still ask what failed. Format it into a string and it is gone"
    );
}

#[tokio::test(start_paused = true)]
async fn t10_profile_line_of_a_missing_user() {
    let api = api_with_posts();
    let err = profile_line(&db_with_ada(), &api, 42)
        .await
        .expect_err("user 42 does not exist: profile_line must fail");
    assert_eq!(
        format!("{err:#}"),
        "loading the profile of user 42: user 42 not found",
        "the context says what was being done, the cause why it failed"
    );
    assert_eq!(
        err.to_string(),
        "loading the profile of user 42",
        "plain `{{}}` prints the outermost layer only: the context"
    );
    assert_eq!(
        api.requests.load(Ordering::SeqCst),
        0,
        "no posts for a user that does not exist"
    );
}

/// An error whose source is `source`: links of a chain of any length.
#[derive(Debug)]
struct Link {
    text: String,
    source: Option<Box<Link>>,
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Error for Link {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|link| link as &(dyn Error + 'static))
    }
}

#[test]
fn t11_any_chain_any_user_any_posts() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    let config = || Config {
        cases: 100,
        rng_seed: RngSeed::Fixed(0x0401),
        failure_persistence: None,
        ..Config::default()
    };
    // report: a chain of 1 to 6 errors of any text (": " inside one too), walked to
    // its end.
    let texts = proptest::collection::vec(
        prop_oneof![
            Just("a: b".to_string()),
            Just(String::new()),
            any::<String>()
        ],
        1..7,
    );
    TestRunner::new(config())
        .run(&texts, |texts| {
            let chain = texts.iter().rev().fold(None, |source, text| {
                Some(Box::new(Link {
                    text: text.clone(),
                    source,
                }))
            });
            let top = chain.expect("at least one link");
            prop_assert_eq!(
                report(top.as_ref()),
                texts.join(": "),
                "a chain of {} errors: report gives every text, the error's own and then \
                 each source's, joined by \": \", down to the last",
                texts.len()
            );
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));

    // user_with_posts and profile_line for any id, present or not, with any number of
    // posts: the user's own posts, and the posts service asked only for a user found.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let cases = (
        prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>()],
        any::<bool>(),
        0usize..5,
    );
    TestRunner::new(config())
        .run(&cases, |(id, present, posts)| {
            let user = User {
                id,
                name: format!("user{id}"),
            };
            let db = Db {
                users: if present {
                    HashMap::from([(id, user.clone())])
                } else {
                    HashMap::from([(id.wrapping_add(1), user.clone())])
                },
                failure: None,
            };
            let titles: Vec<Post> = (0..posts)
                .map(|n| Post {
                    title: format!("post {n}"),
                })
                .collect();
            let api = PostsApi {
                posts: HashMap::from([(id, titles.clone())]),
                ..PostsApi::default()
            };
            let (page, line) = runtime.block_on(async {
                (
                    user_with_posts(&db, &api, id).await,
                    profile_line(&db, &api, id).await,
                )
            });
            let asked = api.requests.load(Ordering::SeqCst);
            if present {
                prop_assert!(
                    matches!(&page, Ok(UserWithPosts { user: u, posts: p }) if *u == user && *p == titles),
                    "user {} exists with {} posts: user_with_posts gives them, got {:?}",
                    id,
                    posts,
                    page
                );
                prop_assert_eq!(
                    line.map_err(|e| format!("{e:#}")),
                    Ok(format!("user{id}: {posts} posts")),
                    "profile_line of user {}",
                    id
                );
                prop_assert_eq!(asked, 2, "one request to the posts service per call");
            } else {
                prop_assert!(
                    matches!(&page, Err(AppError::NotFound { entity: "user", id: i }) if *i == id),
                    "there is no user {}: NotFound {{ entity: \"user\", id: {} }}, got {:?}",
                    id,
                    id,
                    page
                );
                prop_assert_eq!(
                    line.map_err(|e| format!("{e:#}")),
                    Err(format!("loading the profile of user {id}: user {id} not found")),
                    "profile_line of a missing user {}",
                    id
                );
                prop_assert_eq!(
                    asked,
                    0,
                    "user {} is missing: the posts service is not asked",
                    id
                );
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
