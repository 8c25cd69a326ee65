//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `uncapped_backoff` (t03): `delay_after` ignores `cap` and overflows
//! - `retry_doubles_its_own_delay` (t03): `retry` doubles its own delay, with no cap
//! - `tutorial_backoff` (t02, t03, t04, t06, t09): waits of 200, 400, 800ms
//! - `sleeps_after_last_attempt` (t03, t04): a wait after the last failure too
//! - `one_retry_too_many` (t03, t04): `attempts` retries after the first call
//! - `retries_every_error` (t05): a permanent rejection is retried
//! - `no_retries_in_execute` (t06, t09): `execute` calls the backend once
//! - `timeout_per_attempt` (t09): the deadline is per attempt, not per request
//! - `timeout_reply_text` (t07, t09, t10): a timeout answered with other text
//! - `zero_attempts_never_calls` (t11): a `for` loop over `1..=attempts`, so `attempts: 0` never calls and makes up an `Unavailable`
//!
//! Blind answers: 6 tried, 1 passed before this test file caught it (2026-12):
//! `zero_attempts_never_calls` (`attempts: 0` was unspecified here, unlike 04.03; it now
//! behaves like 1, as there). `delay_after` is now exact for any numbers (t12), as the
//! doc always said; the old hinted factor saturated at `u32::MAX` was not.
//!
//! Equivalent mutants (cargo-mutants cannot tell them apart from the solution):
//! - mutant `replace match guard !value.trim().is_empty() with true in parse`: `parse` trims the line first, so the rest after `SET key ` always ends in a non-space and the value is never blank

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kv_resilience::{
    Command, Config, MemoryStore, Reply, RetryPolicy, Service, Store, StoreError, retry,
};
use timeline::Timeline;
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tokio::time::{Instant, sleep, timeout};

const MS: Duration = Duration::from_millis(1);

fn policy(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        attempts,
        base_delay: 100 * MS,
        cap: Duration::from_secs(10),
    }
}

/// Milliseconds of virtual time since `start`, for each recorded instant.
fn offsets(start: Instant, at: &[Instant]) -> Vec<u128> {
    at.iter().map(|t| (*t - start).as_millis()).collect()
}

type Script = VecDeque<Result<Option<String>, StoreError>>;

/// A backend whose `get` answers from a script, after `delay`, and records when each
/// call started and whether a call was dropped before it finished. When the script
/// runs out, `get` finds `blue`. `set` and `del` always succeed at once.
#[derive(Clone, Default)]
struct ScriptedStore {
    script: Arc<Mutex<Script>>,
    delay: Duration,
    calls: Arc<Mutex<Vec<Instant>>>,
    finished: Arc<AtomicBool>,
    dropped_unfinished: Arc<AtomicBool>,
    /// Each `get` drawn as an attempt, cut off if dropped before it answers.
    timeline: Timeline,
}

impl ScriptedStore {
    fn new(script: impl IntoIterator<Item = Result<Option<String>, StoreError>>) -> Self {
        Self {
            script: Arc::new(Mutex::new(script.into_iter().collect())),
            ..Self::default()
        }
    }
    fn down() -> Self {
        Self::new(std::iter::repeat_n(Err(StoreError::Unavailable), 100))
    }
    fn slow(delay: Duration) -> Self {
        Self {
            delay,
            ..Self::default()
        }
    }
    fn calls(&self) -> Vec<Instant> {
        self.calls.lock().unwrap().clone()
    }
}

struct DropGuard(Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Store for ScriptedStore {
    async fn get(&self, _key: &str) -> Result<Option<String>, StoreError> {
        self.calls.lock().unwrap().push(Instant::now());
        let guard = DropGuard(self.dropped_unfinished.clone());
        let attempt = self.timeline.attempt("store.get");
        sleep(self.delay).await;
        attempt.end();
        std::mem::forget(guard);
        self.finished.store(true, Ordering::SeqCst);
        let next = self.script.lock().unwrap().pop_front();
        next.unwrap_or(Ok(Some("blue".into())))
    }
    async fn set(&self, _key: &str, _value: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn del(&self, _key: &str) -> Result<bool, StoreError> {
        Ok(true)
    }
}

fn get(key: &str) -> Command {
    Command::Get { key: key.into() }
}

// --- retry ------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn t01_retry_returns_a_first_success_at_once() {
    let start = Instant::now();
    let mut calls = 0;
    let result = retry(policy(3), || {
        calls += 1;
        async { Ok::<_, StoreError>(7) }
    })
    .await;
    assert_eq!(
        result,
        Ok(7),
        "the first call succeeded with 7: retry should return that value as it is"
    );
    assert_eq!(calls, 1, "a call that succeeds is not repeated");
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "no waiting before the first attempt"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_retry_backs_off_100_200_400ms() {
    let start = Instant::now();
    let mut at = Vec::new();
    let result = retry(policy(4), || {
        at.push(Instant::now());
        let attempt = at.len();
        async move {
            if attempt < 4 {
                Err(StoreError::Unavailable)
            } else {
                Ok(7)
            }
        }
    })
    .await;
    assert_eq!(
        result,
        Ok(7),
        "the fourth attempt succeeds, so retry should return its value"
    );
    assert_eq!(
        offsets(start, &at),
        [0, 100, 300, 700],
        "attempts should start at 0, 100, 300 and 700ms of virtual time: waits of \
         100, 200 and 400ms, the base delay doubling after each retry"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_the_backoff_is_capped() {
    let capped = RetryPolicy {
        attempts: 5,
        base_delay: 100 * MS,
        cap: 250 * MS,
    };
    let waits: Vec<u128> = (1..=4).map(|n| capped.delay_after(n).as_millis()).collect();
    assert_eq!(
        waits,
        [100, 200, 250, 250],
        "with a 100ms base and a 250ms cap, the waits after failures 1 to 4 should be \
         100, 200, 250 and 250ms: the doubling stops at the cap"
    );
    for attempt in [33, 64, u32::MAX] {
        assert_eq!(
            capped.delay_after(attempt),
            250 * MS,
            "after failure {attempt} the wait is the cap: 2^(n-1) no longer fits a u32 \
             (or a Duration), and delay_after must neither overflow nor panic"
        );
    }

    let start = Instant::now();
    let mut at = Vec::new();
    let result = retry(capped, || {
        at.push(Instant::now());
        assert!(at.len() <= 10, "retry called op 11 times with attempts: 5");
        async { Err::<u32, _>(StoreError::Unavailable) }
    })
    .await;
    assert_eq!(result, Err(StoreError::Unavailable), "every attempt failed");
    assert_eq!(
        offsets(start, &at),
        [0, 100, 300, 550, 800],
        "retry should wait delay_after(n) after the n-th failure, so the cap holds there \
         too: waits of 100, 200, 250, 250ms"
    );

    // A long outage: 70 attempts, 1s base, 10s cap. Uncapped, the 65th doubling of the
    // delay overflows a Duration (a panic), and long before that the waits are years.
    let outage = RetryPolicy {
        attempts: 70,
        base_delay: 1000 * MS,
        cap: Duration::from_secs(10),
    };
    let start = Instant::now();
    let mut calls = 0;
    let result = retry(outage, || {
        calls += 1;
        assert!(calls <= 100, "retry called op 101 times with attempts: 70");
        async { Err::<u32, _>(StoreError::Unavailable) }
    })
    .await;
    assert_eq!(
        (result, calls, start.elapsed()),
        (
            Err(StoreError::Unavailable),
            70,
            Duration::from_secs(1 + 2 + 4 + 8 + 65 * 10)
        ),
        "70 attempts with waits of 1, 2, 4, 8s and then the 10s cap 65 times should take \
         665s of virtual time in all"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_retry_gives_up_after_the_last_attempt_without_waiting() {
    let start = Instant::now();
    let mut calls = 0;
    let result = retry(policy(3), || {
        calls += 1;
        assert!(
            calls <= 10,
            "retry called op 11 times with attempts: 3: the count of attempts never \
             reaches the limit"
        );
        async { Err::<u32, _>(StoreError::Unavailable) }
    })
    .await;
    assert_eq!(
        result,
        Err(StoreError::Unavailable),
        "the last error is returned"
    );
    assert_eq!(
        calls, 3,
        "attempts: 3 means three calls in all, the first one included"
    );
    assert_eq!(
        start.elapsed(),
        300 * MS,
        "3 attempts need 2 waits (100 + 200ms); sleeping after the last failure only \
         delays the error"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_retry_returns_a_permanent_error_at_once() {
    let start = Instant::now();
    let mut calls = 0;
    let result = retry(policy(3), || {
        calls += 1;
        assert!(
            calls <= 10,
            "retry called op 11 times for a permanent error with attempts: 3"
        );
        async { Err::<u32, _>(StoreError::Rejected("read-only".into())) }
    })
    .await;
    assert_eq!(
        result,
        Err(StoreError::Rejected("read-only".into())),
        "a permanent error (Rejected) should come back as it is, unchanged"
    );
    assert_eq!(
        (calls, start.elapsed()),
        (1, Duration::ZERO),
        "a rejection is not retryable (StoreError::is_retryable): asking again gives the \
         same answer, so retry should return it after one call, without waiting"
    );
}

// --- execute: retries and timeout ---------------------------------------------------

#[tokio::test(start_paused = true)]
async fn t06_execute_retries_a_flaky_backend() {
    let store = ScriptedStore::new([Err(StoreError::Unavailable), Ok(Some("blue".into()))]);
    store
        .timeline
        .expect("store.get at 0 ms fails, again at 100 ms answers");
    let service = Service::new(store.clone());
    let start = Instant::now();
    assert_eq!(
        service.execute(get("color")).await,
        Reply::Value("blue".into()),
        "the backend was down for the first call only: execute should retry it\n\n{}",
        store.timeline.render()
    );
    assert_eq!(
        offsets(start, &store.calls()),
        [0, 100],
        "two calls, 100ms apart\n\n{}",
        store.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t07_execute_times_out_a_slow_backend() {
    let store = ScriptedStore::slow(Duration::from_secs(10));
    let service = Service::new(store.clone());
    let start = Instant::now();
    let reply = service.execute(get("color")).await;
    assert_eq!(
        (reply, start.elapsed()),
        (Reply::Error("timeout".into()), Duration::from_secs(1)),
        "the backend takes 10s and the request timeout is 1s: after exactly 1s of virtual \
         time execute should give up with `ERR timeout`\n\n{}",
        store.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_a_timed_out_backend_call_is_dropped() {
    let store = ScriptedStore::slow(Duration::from_secs(10));
    let service = Service::new(store.clone());
    service.execute(get("color")).await;
    sleep(Duration::from_secs(20)).await;
    assert!(
        store.dropped_unfinished.load(Ordering::SeqCst) && !store.finished.load(Ordering::SeqCst),
        "after the timeout the backend call should be dropped half-way, never finish: \
         tokio::time::timeout cancels the future it wraps by dropping it\n\n{}",
        store.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t09_the_timeout_covers_the_retries_too() {
    let store = ScriptedStore::down();
    let config = Config {
        request_timeout: 250 * MS,
        retry: RetryPolicy {
            attempts: 5,
            base_delay: 100 * MS,
            cap: Duration::from_secs(10),
        },
    };
    let service = Service::with_config(store.clone(), config);
    let start = Instant::now();
    let reply = service.execute(get("color")).await;
    assert_eq!(
        (reply, start.elapsed()),
        (Reply::Error("timeout".into()), 250 * MS),
        "a request gets 250ms in all: the deadline should cut the retries short at 250ms, \
         not apply to each attempt on its own\n\n{}",
        store.timeline.render()
    );
    sleep(Duration::from_secs(5)).await;
    assert_eq!(
        offsets(start, &store.calls()),
        [0, 100],
        "no attempt should start after the deadline: the retry loop is dropped with the request\n\n{}",
        store.timeline.render()
    );
}

// --- over the wire -----------------------------------------------------------------

struct Client {
    lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
    writer: WriteHalf<DuplexStream>,
}

impl Client {
    /// Sends one request line and reads the reply, waiting at most 5s of virtual time.
    async fn request(&mut self, line: &str) -> String {
        self.writer
            .write_all(format!("{line}\n").as_bytes())
            .await
            .expect("the connection is closed: the server task ended (did it panic? see above)");
        match timeout(Duration::from_secs(5), self.lines.next_line()).await {
            Err(_) => panic!("no reply to {line:?} within 5s of virtual time"),
            Ok(Ok(Some(reply))) => reply,
            Ok(other) => panic!("the server closed the connection instead of replying: {other:?}"),
        }
    }
}

fn connect<S: Store + 'static>(service: Service<S>) -> Client {
    let (client, server) = tokio::io::duplex(1024);
    tokio::spawn(async move { service.serve(server).await });
    let (reader, writer) = tokio::io::split(client);
    Client {
        lines: BufReader::new(reader).lines(),
        writer,
    }
}

#[tokio::test(start_paused = true)]
async fn t10_a_timed_out_request_gets_err_timeout_and_the_connection_goes_on() {
    let mut client = connect(Service::new(ScriptedStore::slow(Duration::from_secs(10))));
    let start = Instant::now();
    assert_eq!(
        client.request("GET color").await,
        "ERR timeout",
        "the backend takes 10s and the request timeout is 1s: the client should get the \
         line `ERR timeout`, like any other reply"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "the reply should come at the 1s deadline"
    );
    assert_eq!(
        client.request("SET color red").await,
        "OK",
        "a timeout fails one request, not the connection"
    );
    // The memory store works as before.
    let mut client = connect(Service::new(MemoryStore::default()));
    assert_eq!(
        client.request("SET color red").await,
        "OK",
        "with a healthy memory store, SET should answer OK: retries and a timeout must not \
         change a fast request"
    );
    assert_eq!(
        client.request("GET color").await,
        "VALUE red",
        "GET after SET should answer `VALUE red`: execute still runs each command against \
         the store, inside retry and timeout"
    );
    assert_eq!(
        client.request("GET color shade").await,
        "ERR usage: GET key",
        "a key is one word: the given parser answers a usage error"
    );
    assert_eq!(
        client.request("DEL color").await,
        "OK",
        "DEL of a key that is there answers OK"
    );
    assert_eq!(
        client.request("DEL color").await,
        "NOT_FOUND",
        "DEL of a key that is gone answers NOT_FOUND"
    );
}

#[tokio::test(start_paused = true)]
async fn t11_zero_attempts_still_calls_once() {
    for (answer, name) in [
        (Ok(7u32), "a success"),
        (Err(StoreError::Unavailable), "a retryable error"),
    ] {
        let mut calls = 0;
        let start = Instant::now();
        let result = retry(policy(0), || {
            calls += 1;
            assert!(calls <= 10, "retry called op 11 times with attempts: 0");
            let answer = answer.clone();
            async move { answer }
        })
        .await;
        assert_eq!(
            (calls, &result, start.elapsed()),
            (1, &answer, Duration::ZERO),
            "attempts: 0 behaves like 1: the call always runs once, and its answer ({name}) \
             is returned as it is, at once; a retry that never calls can only make up an \
             error the backend never gave"
        );
    }
}

#[test]
fn t12_delays_are_exact_for_any_base_and_cap() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config as Cases, RngSeed, TestRunner};

    let exact = |policy: &RetryPolicy, attempt: u32| {
        let (base, cap) = (policy.base_delay.as_nanos(), policy.cap.as_nanos());
        let exponent = attempt.saturating_sub(1);
        let nanos = match (base, exponent) {
            (0, _) => 0,
            (_, 100..) => cap,
            _ => (base << exponent).min(cap),
        };
        Duration::from_nanos_u128(nanos)
    };
    let tiny = RetryPolicy {
        attempts: 50,
        base_delay: Duration::from_nanos(1),
        cap: Duration::from_secs(3600),
    };
    assert_eq!(
        tiny.delay_after(40),
        Duration::from_nanos(1 << 39),
        "base 1 ns, cap 1 h: the wait after failure 40 is 1 ns * 2^39 = 549.76 s, under the \
         cap; a factor that stops at u32::MAX gives about 4.3 s"
    );
    let duration = || {
        prop_oneof![
            Just(Duration::ZERO),
            (0u64..2_000).prop_map(Duration::from_millis),
            (0u64..1_000).prop_map(Duration::from_nanos),
            any::<u64>().prop_map(Duration::from_nanos),
            Just(Duration::MAX),
        ]
    };
    let attempt = prop_oneof![0u32..40, 30u32..140, any::<u32>()];
    TestRunner::new(Cases {
        cases: 500,
        rng_seed: RngSeed::Fixed(0x0703),
        failure_persistence: None,
        ..Cases::default()
    })
    .run(
        &(duration(), duration(), attempt),
        |(base_delay, cap, attempt)| {
            let policy = RetryPolicy {
                attempts: 3,
                base_delay,
                cap,
            };
            prop_assert_eq!(
                policy.delay_after(attempt),
                exact(&policy, attempt),
                "base {:?}, cap {:?}: the wait after failure {} is base_delay * 2^{}, capped at \
             cap (0 counts as 1), exactly, and never a panic",
                base_delay,
                cap,
                attempt,
                attempt.saturating_sub(1)
            );
            Ok(())
        },
    )
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}
