//! Tests of the shared `Outbox`, awaited on the test's own task (no `tokio::spawn`, so
//! they compile and run even while tests/kata_send.rs does not compile yet).
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `locks_once_per_part` (t02, t03): `send` locks once per part, so the other sender writes between header and body
//! - `std_guard_across_await` (tests/kata_send.rs): `send` holds a `std::sync::MutexGuard` across `.await`: not `Send`, and on one thread the second sender deadlocks
//! - `takes_connection_out` (t03): `send` takes the connection out with `mem::take` and appends its transcript later: the second sender writes at the same time, on an empty connection
//! - `blocking_lock_in_into_connection` (t01, t02): `into_connection` calls `blocking_lock`, which panics inside a runtime
//! - `fetch_and_log_unchanged` (tests/kata_send.rs): the shipped `fetch_and_log`, its guard alive across `fetch(..).await`, so its future is not `Send`
//! - `copies_log_then_writes_back` (t05): `fetch_and_log` copies the log, fetches, writes the copy back: concurrent fetches lose pages
//!
//! Blind answers: 6 tried, 0 passed before this test file (2026-12). One did not compile (a std guard held across the writes: the
//! lesson's own error), so it is no fixture.
//!
//! t03a checks the promise over generated schedules: 1 to 5 senders starting at any
//! half-millisecond, some in the middle of another's message, some at the same instant.
//!
//! t02, t03 and t03a run on a runtime of their own, on a thread of their own, and wait for it
//! at most 5 s of real time: a std `lock()` that blocks the only runtime thread is a
//! thread stuck in the OS, which no poll or wake counter can see, so only a bounded real
//! wait can tell "never" from "not yet". A correct `send` answers in microseconds.

use std::panic;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use lock_across_await::{Connection, Outbox};

const DEADLOCK: &str = "two concurrent sends on a single-threaded runtime never finished: a \
    deadlock. The first send held a std::sync::MutexGuard across `.await`; the second send \
    then called lock() and blocked the only runtime thread, so the first could never \
    resume to unlock. A guard that must live across `.await` needs tokio::sync::Mutex, \
    whose lock() waits by yielding, not by blocking.";

#[tokio::test(start_paused = true)]
async fn t01_send_writes_header_then_body() {
    let outbox = Outbox::new(Connection::default());
    outbox.send("HELLO", "world").await;
    let conn = outbox.into_connection();
    assert_eq!(
        conn.transcript(),
        ["HELLO", "world"],
        "one send writes its header part, then its body part, on the shared connection \
         (and into_connection gives that same connection back)"
    );
}

/// Runs the future that `make` builds on a fresh current-thread runtime (paused clock)
/// on a thread of its own, and gives up after 5 s of real time: a deadlocked runtime
/// thread never comes back, so the test must not wait on it forever (see the header
/// for why this one wait is real time).
fn on_own_runtime<T, Fut>(make: impl FnOnce() -> Fut + Send + 'static) -> Option<T>
where
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    let (done, result) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        let _ = done.send(rt.block_on(make()));
    });
    // Only a deadlock ever waits this long; a correct `send` answers in microseconds.
    match result.recv_timeout(Duration::from_secs(5)) {
        Ok(value) => Some(value),
        Err(RecvTimeoutError::Timeout) => None,
        // The future panicked (a `todo!()`, say): show that panic, not a deadlock.
        Err(RecvTimeoutError::Disconnected) => panic::resume_unwind(thread.join().unwrap_err()),
    }
}

#[test]
fn t02_concurrent_sends_do_not_interleave() {
    let transcript = on_own_runtime(|| async {
        let outbox = Outbox::new(Connection::default());
        // Two senders on one task, one thread: while the first awaits its write, the
        // second gets polled and asks for the lock.
        tokio::join!(outbox.send("H1", "b1"), outbox.send("H2", "b2"));
        outbox.into_connection().transcript().to_vec()
    });
    let Some(transcript) = transcript else {
        panic!("{DEADLOCK}");
    };
    let ok = transcript == ["H1", "b1", "H2", "b2"] || transcript == ["H2", "b2", "H1", "b1"];
    assert!(
        ok,
        "the connection saw {transcript:?}: the two messages interleaved. The lock was \
         released between the header and the body, so the other sender wrote in between; \
         hold one guard for the whole message, across both `.await`s"
    );
}

#[test]
fn t03_a_second_sender_waits_for_the_connection() {
    let finished = on_own_runtime(|| async {
        let outbox = Outbox::new(Connection::default());
        let start = tokio::time::Instant::now();
        let first = async {
            outbox.send("H1", "b1").await;
            start.elapsed()
        };
        let second = async {
            outbox.send("H2", "b2").await;
            start.elapsed()
        };
        tokio::join!(first, second)
    });
    let Some((first, second)) = finished else {
        panic!("{DEADLOCK}");
    };
    let (sooner, later) = (first.min(second), first.max(second));
    assert_eq!(
        (sooner, later),
        (Duration::from_millis(2), Duration::from_millis(4)),
        "on one connection a message takes 2 ms (two 1 ms parts) and a second sender must \
         wait for the first, so they end at 2 ms and 4 ms of virtual time; they ended at \
         {sooner:?} and {later:?}. Both done at 2 ms means both wrote at the same time, \
         so one of them was not writing on the shared connection: taking it out of the \
         mutex (mem::take) leaves the next sender an empty, different connection. Keep it \
         in the mutex and hold one guard for the whole message"
    );
}

#[test]
fn t03a_any_number_of_senders_at_any_instants_never_interleave() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    // 1 to 5 senders, each starting at its own instant (in half-milliseconds, so some
    // start in the middle of another's message, some at the same instant).
    let starts = proptest::collection::vec(0u64..12, 1..6);
    TestRunner::new(Config {
        cases: 60,
        rng_seed: RngSeed::Fixed(0x0601),
        failure_persistence: None,
        ..Config::default()
    })
    .run(&starts, |starts| {
        let senders = starts.clone();
        let transcript = on_own_runtime(move || async move {
            let outbox = Outbox::new(Connection::default());
            let sends = senders.iter().enumerate().map(|(i, &half_ms)| {
                let outbox = &outbox;
                async move {
                    tokio::time::sleep(Duration::from_micros(500 * half_ms)).await;
                    outbox.send(&format!("H{i}"), &format!("b{i}")).await;
                }
            });
            futures::future::join_all(sends).await;
            outbox.into_connection().transcript().to_vec()
        });
        let Some(transcript) = transcript else {
            return Err(TestCaseError::fail(DEADLOCK));
        };
        // Every message once, each header directly followed by its own body.
        let mut seen = Vec::new();
        let whole = transcript.chunks(2).all(|pair| match pair {
            [header, body] => {
                seen.push(header.clone());
                header.strip_prefix('H') == body.strip_prefix('b')
            }
            _ => false,
        });
        seen.sort();
        let mut want: Vec<String> = (0..starts.len()).map(|i| format!("H{i}")).collect();
        want.sort();
        prop_assert!(
            whole && seen == want,
            "senders starting at {:?} ms: each message is its header then its body, with \
             no other part between them, and every message is written once; the \
             connection got {:?}",
            starts.iter().map(|h| *h as f64 / 2.0).collect::<Vec<_>>(),
            transcript
        );
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
