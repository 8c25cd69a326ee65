//! Tests that hand your futures to `tokio::spawn`. This file does not compile until
//! they are `Send`: read the compiler's error (E0277), it names the type that is not
//! `Send` and the `async fn` body that holds it.
//!
//! The wrong answers these tests reject are listed, with the tests that catch them, in
//! the header of tests/kata.rs.

use std::sync::Arc;

use lock_across_await::{Connection, Outbox, PageLog, fetch_and_log};
use tokio::time::{Duration, Instant};

#[tokio::test(start_paused = true)]
async fn t04_fetch_and_log_can_be_spawned() {
    let log = PageLog::default();
    tokio::spawn(fetch_and_log(log.clone(), "a".to_owned()))
        .await
        .expect("the spawned fetch_and_log panicked");
    assert_eq!(
        *log.lock().unwrap(),
        ["<page a>"],
        "a spawned fetch_and_log appends the fetched page to the shared log"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_spawned_fetches_do_not_wait_for_each_other() {
    let log = PageLog::default();
    let start = Instant::now();
    let tasks: Vec<_> = ["a", "b", "c"]
        .into_iter()
        .map(|url| tokio::spawn(fetch_and_log(log.clone(), url.to_owned())))
        .collect();
    for task in tasks {
        task.await.expect("a spawned fetch_and_log panicked");
    }
    let elapsed = start.elapsed();
    assert_eq!(
        elapsed,
        Duration::from_millis(10),
        "three spawned 10 ms fetches took {elapsed:?} of virtual time: the log must be \
         locked only to push a page, never while a fetch is in flight"
    );
    let mut pages = log.lock().unwrap().clone();
    pages.sort();
    assert_eq!(
        pages,
        ["<page a>", "<page b>", "<page c>"],
        "every page is logged once"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_outbox_sends_can_be_spawned() {
    let outbox = Arc::new(Outbox::new(Connection::default()));
    let first = tokio::spawn({
        let outbox = outbox.clone();
        async move { outbox.send("H1", "b1").await }
    });
    let second = tokio::spawn({
        let outbox = outbox.clone();
        async move { outbox.send("H2", "b2").await }
    });
    first.await.expect("a spawned send panicked");
    second.await.expect("a spawned send panicked");
    let outbox = Arc::into_inner(outbox).expect("both tasks are done with the outbox");
    let transcript = outbox.into_connection().transcript().to_vec();
    let ok = transcript == ["H1", "b1", "H2", "b2"] || transcript == ["H2", "b2", "H1", "b1"];
    assert!(
        ok,
        "two spawned sends wrote {transcript:?}: each message must go out whole, header \
         then body, with the other message before or after it"
    );
}
