//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `next_request_unbiased` (t02): no `biased;`, so a tie with shutdown is a coin toss
//! - `line_wins_a_tie` (t02): `biased` the wrong way round, the line first
//! - `next_request_checks_once` (t02, t06, t09, t12): shutdown checked once, not raced
//! - `serves_inline` (t04, t05, t08, t10, t12): each connection served in the accept loop
//! - `no_limit` (t05): every connection is served at once
//! - `slot_freed_at_accept` (t05): `let _ = slot` frees the permit at once
//! - `permit_inside_task` (t05, t08): the permit is taken after accepting
//! - `queue_kept_at_shutdown` (t08): the queue of waiting connections is kept open
//! - `aborts_at_shutdown` (t07, t08, t10): in-flight requests are aborted at once at shutdown
//! - `returns_without_waiting` (t07, t08, t10): run returns at shutdown at once
//! - `drain_without_deadline` (t10): the drain at shutdown has no deadline
//! - `unwraps_join_error` (t10): the aborted tasks' `JoinError`s are unwrapped
//! - `grace_expiry_drops_set` (t14): after the grace period, `abort_all()` and return: the aborted tasks are dropped later, their work outlives `run`
//! - `grace_counts_without_a_shutdown` (t15, t16): the course's own `run` before 2026-12: the grace period starts when the loop ends, so with the listener closed and no shutdown, connections are aborted after `grace`; a limit of 0 serves nothing
//!
//! Blind answers: 9 tried, 1 passed before this test file caught it (2026-12):
//! `grace_expiry_drops_set` (no test looked at what was still alive the moment `run`
//! returned; t14 calls `run` on the test's own task and checks, for every instant of
//! the shutdown around the request's end and the grace period's). The reviewer also
//! found `run`'s doc ("returns once `incoming` is closed and every connection has
//! ended") contradicting the solution and hint 4 (a grace period after the listener
//! closed, with no shutdown): the solution now waits without a limit until a shutdown
//! comes (t15), and `max_connections` 0 counts as 1 (t16).
//!
//! Equivalent mutants (cargo-mutants cannot tell them apart from the solution):
//! - mutant `replace match guard !value.trim().is_empty() with true in parse`: `parse` trims the line first, so the rest after `SET key ` always ends in a non-space and the value is never blank
//! - mutant `replace connection_ended with ()`: it only reports a panicked connection on stderr; what run does next is the same either way
//! - mutant `replace match guard error.is_cancelled() with false in connection_ended`: the same, a report on stderr and nothing else
//! - mutant `replace match guard error.is_cancelled() with true in connection_ended`: the same, a report on stderr and nothing else

use std::sync::Arc;
use std::time::Duration;

use kv_server::{Config, MemoryStore, RetryPolicy, Service, Store, StoreError, next_request, run};
use timeline::Timeline;
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};

const SECOND: Duration = Duration::from_secs(1);
/// Room for connections waiting in the listener's queue.
const QUEUE: usize = 16;

/// How long the server gives its connections to finish after shutdown.
const GRACE: Duration = Duration::from_secs(5);

/// A store the tests watch: what it was asked to do is drawn on its timeline.
trait Recorded {
    fn timeline(&self) -> Timeline;
}

/// A memory store whose `get` takes `delay` (1s by default). Each `get` is drawn on
/// the timeline, cut off if its connection was dropped (aborted) before it ended.
struct SlowStore {
    inner: MemoryStore,
    delay: Duration,
    timeline: Timeline,
}

impl Default for SlowStore {
    fn default() -> Self {
        Self {
            inner: MemoryStore::default(),
            delay: SECOND,
            timeline: Timeline::new(),
        }
    }
}

impl Recorded for SlowStore {
    fn timeline(&self) -> Timeline {
        self.timeline.clone()
    }
}

impl Store for SlowStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let span = self.timeline.start(format!("get({key})"));
        sleep(self.delay).await;
        span.end();
        self.inner.get(key).await
    }
    async fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.inner.set(key, value).await
    }
    async fn del(&self, key: &str) -> Result<bool, StoreError> {
        self.inner.del(key).await
    }
}

struct Client {
    lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
    writer: WriteHalf<DuplexStream>,
    /// The server's timeline, shown when the client gives up waiting.
    timeline: Timeline,
}

impl Client {
    async fn send(&mut self, line: &str) {
        // A closed connection shows up when reading the reply, with a clearer message.
        let _ = self.writer.write_all(format!("{line}\n").as_bytes()).await;
    }

    /// The next line from the server: `Some(line)`, `None` if the server closed the
    /// connection, or a panic if nothing happens within `wait` of virtual time.
    async fn next(&mut self, wait: Duration, what: &str) -> Option<String> {
        match timeout(wait, self.lines.next_line()).await {
            Err(_) => panic!(
                "{what}: nothing from the server within {wait:?} of virtual time\n\n{}",
                self.timeline.render()
            ),
            Ok(line) => line.expect("reading from the server failed"),
        }
    }

    async fn request(&mut self, line: &str) -> String {
        self.send(line).await;
        self.next(5 * SECOND, &format!("a reply to {line:?}"))
            .await
            .unwrap_or_else(|| {
                panic!(
                    "the server closed the connection instead of answering {line:?}\n\n{}",
                    self.timeline.render()
                )
            })
    }
}

fn pipe() -> (Client, DuplexStream) {
    let (client, server) = tokio::io::duplex(1024);
    let (reader, writer) = tokio::io::split(client);
    (
        Client {
            lines: BufReader::new(reader).lines(),
            writer,
            timeline: Timeline::new(),
        },
        server,
    )
}

/// A running server: `run` on a spawned task, with the ends a test controls, and the
/// timeline of what its store was asked to do.
struct Server {
    listener: Option<mpsc::Sender<DuplexStream>>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
    timeline: Timeline,
}

impl Server {
    fn start(max_connections: usize) -> Self {
        // Requests may take a while here; the 10s timeout keeps them from timing out.
        let config = Config {
            request_timeout: 10 * SECOND,
            ..Config::default()
        };
        Self::start_with(SlowStore::default(), config, max_connections)
    }

    fn start_with<S: Store + Recorded + 'static>(
        store: S,
        config: Config,
        max_connections: usize,
    ) -> Self {
        let timeline = store.timeline();
        let service = Arc::new(Service::with_config(store, config));
        let (listener, incoming) = mpsc::channel(QUEUE);
        let (shutdown, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(run(service, incoming, max_connections, GRACE, shutdown_rx));
        Server {
            listener: Some(listener),
            shutdown,
            task,
            timeline,
        }
    }

    /// A new client; its connection waits in the listener's queue until `run` takes it.
    async fn connect(&self) -> Client {
        let (mut client, server_end) = pipe();
        client.timeline = self.timeline.clone();
        // If `run` has already stopped listening, the connection is dropped: closed.
        let _ = self.listener.as_ref().unwrap().send(server_end).await;
        client
    }

    fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    /// Waits at most `wait` for `run` to return.
    async fn stopped_within(&mut self, wait: Duration) -> bool {
        match timeout(wait, &mut self.task).await {
            Err(_) => false,
            Ok(Ok(())) => true,
            Ok(Err(error)) => panic!(
                "run itself failed ({error}): every JoinError of a connection task must be \
                 handled (a cancelled task is one run aborted; a panic ends one connection), \
                 never unwrapped"
            ),
        }
    }

    /// How many connections are waiting in the listener's queue, not yet accepted.
    fn queued(&self) -> usize {
        QUEUE - self.listener.as_ref().unwrap().capacity()
    }
}

// --- next_request -------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn t01_next_request_reads_lines_until_the_client_hangs_up() {
    let (mut client, server_end) = pipe();
    let (_shutdown, mut shutdown_rx) = watch::channel(false);
    let mut lines = BufReader::new(server_end).lines();
    client.send("GET a").await;
    assert_eq!(
        next_request(&mut lines, &mut shutdown_rx).await.unwrap(),
        Some("GET a".into()),
        "a line the client has sent should come back from next_request as Some(line) while \
         there is no shutdown"
    );
    drop(client);
    assert_eq!(
        timeout(5 * SECOND, next_request(&mut lines, &mut shutdown_rx))
            .await
            .ok()
            .map(Result::unwrap),
        Some(None),
        "after the client hangs up, next_request should return None: no more requests"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_next_request_ends_at_shutdown() {
    let (mut client, server_end) = pipe();
    let (shutdown, mut shutdown_rx) = watch::channel(false);
    let mut lines = BufReader::new(server_end).lines();
    let waiting = tokio::spawn(async move {
        let first = next_request(&mut lines, &mut shutdown_rx).await.unwrap();
        (first, lines, shutdown_rx)
    });
    sleep(SECOND).await; // the client is idle
    shutdown.send_replace(true);
    let (first, mut lines, mut shutdown_rx) = timeout(5 * SECOND, waiting)
        .await
        .expect(
            "next_request was waiting for a line when shutdown came, and is still waiting: \
             race the next line against the shutdown signal with tokio::select!",
        )
        .unwrap();
    assert_eq!(first, None, "at shutdown there is no next request");

    client.send("GET a").await;
    // Both are ready now: the line and the shutdown. An unbiased select! picks one at
    // random each time, so ask 64 times: only a shutdown that always wins passes.
    for _ in 0..64 {
        assert_eq!(
            next_request(&mut lines, &mut shutdown_rx).await.unwrap(),
            None,
            "with shutdown already on, next_request should take no new request, even one \
             the client has already sent (asked 64 times, it took one): check shutdown first, \
             `biased;` in select!, or a random pick lets the line win now and then"
        );
    }
}

// --- run ----------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn t03_run_serves_a_connection() {
    let server = Server::start(2);
    let mut client = server.connect().await;
    assert_eq!(
        client.request("SET color blue").await,
        "OK",
        "`SET color blue` should get `OK`: run must take the connection from `incoming` \
         and serve it with service.serve"
    );
    assert_eq!(
        client.request("GET color").await,
        "VALUE blue",
        "`GET color` on the same connection should get `VALUE blue`: the connection stays \
         served after its first request"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_connections_are_served_at_the_same_time() {
    let server = Server::start(2);
    server
        .timeline
        .expect("get(a) and get(b) side by side, from 0 ms to 1000 ms");
    let mut first = server.connect().await;
    let mut second = server.connect().await;
    let start = Instant::now();
    // Both ask at once; each GET takes 1s.
    first.send("GET a").await;
    second.send("GET b").await;
    let (a, b) = tokio::join!(
        first.next(5 * SECOND, "the first client's reply"),
        second.next(5 * SECOND, "the second client's reply")
    );
    assert_eq!(
        (a.as_deref(), b.as_deref()),
        (Some("NOT_FOUND"), Some("NOT_FOUND")),
        "each client should get NOT_FOUND for its GET (None means the server closed that \
         connection unanswered)"
    );
    assert_eq!(
        start.elapsed(),
        SECOND,
        "two 1s requests on two connections took {:?}: the connections were served one \
         after the other. Spawn a task per connection\n\n{}",
        start.elapsed(),
        server.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_at_most_max_connections_are_served_at_once() {
    let server = Server::start(2);
    server
        .timeline
        .expect("no get(a) until the first client leaves at 5000 ms: the third waits for a slot");
    let mut first = server.connect().await;
    let mut second = server.connect().await;
    let mut third = server.connect().await;
    assert_eq!(
        first.request("SET a 1").await,
        "OK",
        "the first client, within the limit of 2, should be served"
    );
    assert_eq!(
        second.request("SET b 2").await,
        "OK",
        "the second client, still within the limit of 2, should be served too"
    );

    third.send("GET a").await;
    let early = timeout(5 * SECOND, third.lines.next_line()).await;
    assert!(
        early.is_err(),
        "with max_connections = 2 and two clients connected, the third should wait, \
         unserved, for a free slot; it got {early:?}\n\n{}",
        server.timeline.render()
    );
    assert_eq!(
        server.queued(),
        1,
        "the third connection should still wait in the listener's queue: take a permit \
         before accepting the next connection, not in the connection's task after \
         accepting it (an accepted connection that waits for a permit is one the \
         listener's backlog no longer pushes back for)\n\n{}",
        server.timeline.render()
    );
    drop(first); // a slot frees up
    assert_eq!(
        third
            .next(5 * SECOND, "the waiting client's reply after a slot freed")
            .await,
        Some("VALUE 1".into()),
        "when a connection ends, its slot goes to the next one waiting\n\n{}",
        server.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_after_shutdown_no_new_connection_is_served() {
    let mut server = Server::start(2);
    let mut early = server.connect().await;
    assert_eq!(
        early.request("SET a 1").await,
        "OK",
        "a client connected before shutdown should be served"
    );
    server.shut_down();
    let mut late = server.connect().await;
    late.send("GET a").await;
    assert_eq!(
        late.next(5 * SECOND, "the late client").await,
        None,
        "a connection that arrives after shutdown should be closed unserved\n\n{}",
        server.timeline.render()
    );
    assert!(
        server.stopped_within(5 * SECOND).await,
        "run should return after shutdown\n\n{}",
        server.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t07_shutdown_lets_the_request_in_flight_finish() {
    let mut server = Server::start(2);
    server
        .timeline
        .expect("get(a) from 0 ms to 1000 ms, finished although shutdown came at 500 ms");
    let mut client = server.connect().await;
    assert_eq!(
        client.request("SET a 1").await,
        "OK",
        "the client should be served before the shutdown"
    );
    let start = Instant::now();
    client.send("GET a").await; // takes 1s
    sleep(SECOND / 2).await;
    server.shut_down();
    assert!(
        !server.stopped_within(SECOND / 4).await,
        "run returned while a request was still in flight: wait for the connections \
         (JoinSet::join_next) before returning\n\n{}",
        server.timeline.render()
    );
    assert_eq!(
        client
            .next(5 * SECOND, "the reply to the request in flight")
            .await,
        Some("VALUE 1".into()),
        "a request the server was handling at shutdown should still get its answer: \
         graceful shutdown lets connections finish, it does not abort them\n\n{}",
        server.timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        SECOND,
        "the answer comes when the 1s GET is done\n\n{}",
        server.timeline.render()
    );
    assert_eq!(
        client.next(5 * SECOND, "the end of the connection").await,
        None,
        "after answering, the connection should close\n\n{}",
        server.timeline.render()
    );
    assert!(
        server.stopped_within(SECOND).await,
        "with every connection closed, run should return\n\n{}",
        server.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_shutdown_closes_the_connections_still_waiting_in_the_queue() {
    let mut server = Server::start(1);
    server
        .timeline
        .expect("get(a) from 0 ms to 1000 ms, finished although shutdown came at 500 ms");
    let mut served = server.connect().await;
    assert_eq!(
        served.request("SET a 1").await,
        "OK",
        "the first client, within the limit of 1, should be served"
    );
    let mut waiting = server.connect().await; // no free slot: it waits in the queue
    served.send("GET a").await; // takes 1s
    sleep(SECOND / 2).await;
    server.shut_down();
    assert_eq!(
        waiting
            .next(SECOND / 4, "the client waiting in the queue, at shutdown")
            .await,
        None,
        "at shutdown a connection still waiting in the listener's queue should be closed at \
         once, not kept until the requests in flight are done: drop the receiver when you \
         stop accepting\n\n{}",
        server.timeline.render()
    );
    assert_eq!(
        served.next(5 * SECOND, "the reply in flight").await,
        Some("VALUE 1".into()),
        "the request in flight still gets its answer\n\n{}",
        server.timeline.render()
    );
    assert!(
        server.stopped_within(SECOND).await,
        "with every connection closed, run should return\n\n{}",
        server.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t09_shutdown_closes_idle_connections_at_once() {
    let mut server = Server::start(2);
    let mut client = server.connect().await;
    assert_eq!(
        client.request("SET a 1").await,
        "OK",
        "the client should be served before the shutdown"
    );
    let start = Instant::now();
    server.shut_down();
    assert_eq!(
        client
            .next(5 * SECOND, "the idle client, after shutdown")
            .await,
        None,
        "an idle connection (no request in flight) should be closed at shutdown, not left \
         open until the client leaves\n\n{}",
        server.timeline.render()
    );
    assert!(
        server.stopped_within(SECOND).await,
        "run should return once the connections are closed\n\n{}",
        server.timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "an idle server shuts down at once\n\n{}",
        server.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t10_shutdown_gives_up_on_a_request_after_the_grace_period() {
    // A backend that takes a minute: far longer than the 5s grace period.
    let store = SlowStore {
        delay: 60 * SECOND,
        ..SlowStore::default()
    };
    let config = Config {
        request_timeout: 120 * SECOND,
        ..Config::default()
    };
    let mut server = Server::start_with(store, config, 2);
    server.timeline.expect(
        "get(a) from 0 ms, cut off at 5500 ms: shutdown at 500 ms plus the 5000 ms grace period",
    );
    let mut client = server.connect().await;
    assert_eq!(
        client.request("SET a 1").await,
        "OK",
        "the client should be served before the shutdown"
    );
    let start = Instant::now();
    client.send("GET a").await; // takes 60s
    sleep(SECOND / 2).await;
    server.shut_down();
    assert!(
        server.stopped_within(10 * SECOND).await,
        "run should return by the end of the 5s grace period, even with a request still \
         running: wait for the connections within a deadline (tokio::time::timeout), then \
         abort what is left (JoinSet::abort_all)\n\n{}",
        server.timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        SECOND / 2 + GRACE,
        "shutdown came at 0.5s and the grace period is 5s: run should return at 5.5s\n\n{}",
        server.timeline.render()
    );
    assert_eq!(
        client
            .next(SECOND, "the connection aborted after the grace period")
            .await,
        None,
        "the connection still busy after the grace period is aborted: closed, unanswered\n\n{}",
        server.timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t11_when_the_listener_closes_live_connections_carry_on() {
    let mut server = Server::start(2);
    let mut client = server.connect().await;
    assert_eq!(
        client.request("SET a 1").await,
        "OK",
        "the client should be served while the listener is still open"
    );
    server.listener = None; // no more connections will come
    sleep(SECOND).await;
    assert_eq!(
        client.request("GET a").await,
        "VALUE 1",
        "the listener closing is no reason to drop the connections already open"
    );
    assert!(
        !server.stopped_within(SECOND).await,
        "run should wait for the open connection\n\n{}",
        server.timeline.render()
    );
    drop(client);
    assert!(
        server.stopped_within(SECOND).await,
        "with the listener closed and the last client gone, run should return\n\n{}",
        server.timeline.render()
    );
}

// --- the whole service behind run: the given parts too -----------------------------

#[tokio::test(start_paused = true)]
async fn t12_a_subscriber_behind_run_gets_events_until_shutdown() {
    let mut server = Server::start(2);
    let mut watcher = server.connect().await;
    let mut writer = server.connect().await;
    assert_eq!(
        watcher.request("SUBSCRIBE now").await,
        "ERR usage: SUBSCRIBE",
        "SUBSCRIBE takes no argument: the given parser answers a usage error"
    );
    assert_eq!(
        writer.request("GET color shade").await,
        "ERR usage: GET key",
        "a key is one word: the given parser answers a usage error"
    );
    assert_eq!(
        watcher.request("SUBSCRIBE").await,
        "OK",
        "SUBSCRIBE answers OK"
    );
    assert_eq!(
        writer.request("SET color blue").await,
        "OK",
        "the SET is served"
    );
    assert_eq!(
        watcher.next(5 * SECOND, "the SET event").await.as_deref(),
        Some("EVENT SET color blue"),
        "a change made on one connection reaches the subscribed one"
    );
    assert_eq!(writer.request("DEL color").await, "OK", "the key was there");
    assert_eq!(
        writer.request("DEL color").await,
        "NOT_FOUND",
        "the key is gone now"
    );
    assert_eq!(
        watcher.next(5 * SECOND, "the DEL event").await.as_deref(),
        Some("EVENT DEL color"),
        "one DEL event: the second DEL deleted nothing"
    );
    server.shut_down();
    assert_eq!(
        watcher
            .next(5 * SECOND, "the subscriber, at shutdown")
            .await,
        None,
        "a subscribed connection closes at shutdown too"
    );
    assert!(
        server.stopped_within(SECOND).await,
        "with every connection closed, run should return\n\n{}",
        server.timeline.render()
    );
}

/// A backend that is down for its first `down` writes, then accepts them; it counts
/// every write, and draws each as an attempt of `set(key)`. `set` of the key
/// `rejected` is always refused.
struct FlakyStore {
    down: usize,
    writes: Arc<std::sync::Mutex<usize>>,
    timeline: Timeline,
}

impl Recorded for FlakyStore {
    fn timeline(&self) -> Timeline {
        self.timeline.clone()
    }
}

impl Store for FlakyStore {
    async fn get(&self, _key: &str) -> Result<Option<String>, StoreError> {
        Ok(None)
    }
    async fn set(&self, key: &str, _value: &str) -> Result<(), StoreError> {
        self.timeline.attempt(format!("set({key})")).end();
        let mut writes = self.writes.lock().unwrap();
        *writes += 1;
        assert!(
            *writes <= 20,
            "20 writes for a few requests: the retries never stop"
        );
        if key == "rejected" {
            Err(StoreError::Rejected("read-only key".into()))
        } else if *writes <= self.down {
            Err(StoreError::Unavailable)
        } else {
            Ok(())
        }
    }
    async fn del(&self, _key: &str) -> Result<bool, StoreError> {
        Ok(false)
    }
}

#[tokio::test(start_paused = true)]
async fn t13_requests_behind_run_are_retried_with_capped_backoff() {
    let config = Config {
        request_timeout: 10 * SECOND,
        retry: RetryPolicy {
            attempts: 5,
            base_delay: Duration::from_millis(100),
            cap: Duration::from_millis(250),
        },
        ..Config::default()
    };
    for (down, line, reply, writes) in [
        (4, "SET a 1", "OK", 5),
        (100, "SET a 1", "ERR backend unavailable", 5),
        (
            0,
            "SET rejected 1",
            "ERR backend rejected the request: read-only key",
            1,
        ),
    ] {
        let count = Arc::new(std::sync::Mutex::new(0));
        let store = FlakyStore {
            down,
            writes: count.clone(),
            timeline: Timeline::new(),
        };
        let server = Server::start_with(store, config, 2);
        let mut client = server.connect().await;
        let start = Instant::now();
        assert_eq!(
            client.request(line).await,
            reply,
            "a backend down for {down} writes: {line:?} should get {reply:?}"
        );
        let took = if writes == 5 { 800 } else { 0 };
        assert_eq!(
            (*count.lock().unwrap(), start.elapsed()),
            (writes, Duration::from_millis(took)),
            "{line:?} on a backend down for {down} writes should take {writes} attempts \
             and {took}ms: capped waits of 100, 200, 250, 250ms between attempts, none \
             after the last, and no retry of a rejection\n\n{}",
            server.timeline.render()
        );
    }
}

/// A memory store whose `get` takes `delay` and counts the `get` calls still alive (not
/// finished, not dropped): work that would run on after `run` returned.
struct CountedStore {
    inner: MemoryStore,
    delay: Duration,
    alive: Arc<std::sync::atomic::AtomicUsize>,
}

/// Counts one `get` alive until dropped.
struct Alive(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Store for CountedStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.alive.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let _alive = Alive(self.alive.clone());
        sleep(self.delay).await;
        self.inner.get(key).await
    }
    async fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.inner.set(key, value).await
    }
    async fn del(&self, key: &str) -> Result<bool, StoreError> {
        self.inner.del(key).await
    }
}

#[tokio::test(start_paused = true)]
async fn t14_nothing_of_a_connection_runs_after_run_returns() {
    // A GET that takes `delay`, a shutdown `shutdown_at` after it was sent: every instant
    // that matters, before, at and after the GET's end and the grace period's.
    for delay in [SECOND, 60 * SECOND] {
        for shutdown_at in [SECOND / 2, SECOND, GRACE - SECOND / 1000, GRACE + SECOND] {
            let alive = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let store = CountedStore {
                inner: MemoryStore::default(),
                delay,
                alive: alive.clone(),
            };
            let config = Config {
                request_timeout: 120 * SECOND,
                ..Config::default()
            };
            let service = Arc::new(Service::with_config(store, config));
            let (listener, incoming) = mpsc::channel(QUEUE);
            let (shutdown, shutdown_rx) = watch::channel(false);
            let (mut client, server_end) = pipe();
            listener.send(server_end).await.unwrap();
            let driver = tokio::spawn(async move {
                client.send("GET a").await;
                sleep(shutdown_at).await;
                shutdown.send_replace(true);
                (client, shutdown, listener)
            });
            let start = Instant::now();
            // `run` on this very task: when it returns, nothing else has run since.
            timeout(3600 * SECOND, run(service, incoming, 2, GRACE, shutdown_rx))
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "run did not return within an hour of a shutdown {shutdown_at:?} \
                         after a GET of {delay:?}: the grace period is {GRACE:?}"
                    )
                });
            let returned = start.elapsed();
            let still_running = alive.load(std::sync::atomic::Ordering::SeqCst);
            assert_eq!(
                still_running, 0,
                "a GET of {delay:?}, shutdown {shutdown_at:?} after it was sent, grace \
                 {GRACE:?}: run returned at {returned:?} with the GET still alive. After \
                 the grace period, abort what is left (abort_all) and then join those \
                 tasks too: an aborted task is only dropped when the runtime gets to it, \
                 so without the join its work outlives run"
            );
            assert!(
                returned <= shutdown_at + GRACE,
                "run returned at {returned:?}, after the shutdown ({shutdown_at:?}) plus \
                 the grace period ({GRACE:?})"
            );
            drop(driver.await);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn t15_with_the_listener_closed_connections_carry_on_past_the_grace_period() {
    let mut server = Server::start(2);
    let mut client = server.connect().await;
    assert_eq!(client.request("SET a 1").await, "OK");
    server.listener = None; // no more connections will come, and no shutdown either
    sleep(GRACE * 3).await;
    assert_eq!(
        client.request("GET a").await,
        "VALUE 1",
        "the listener closed {:?} ago and nobody shut the server down: the open \
         connection carries on, with no time limit (the grace period counts only from a \
         shutdown)\n\n{}",
        GRACE * 3,
        server.timeline.render()
    );
    // Now a shutdown: the idle connection closes at once, and run returns.
    server.shut_down();
    assert!(
        server.stopped_within(SECOND).await,
        "a shutdown after the listener closed still stops the server: the idle \
         connection closes at once\n\n{}",
        server.timeline.render()
    );
    assert_eq!(
        client
            .next(SECOND, "the connection closed at shutdown")
            .await,
        None
    );
}

#[tokio::test(start_paused = true)]
async fn t16_a_limit_of_zero_connections_counts_as_one() {
    let mut server = Server::start(0);
    let mut client = server.connect().await;
    assert_eq!(
        client.request("SET a 1").await,
        "OK",
        "max_connections 0 counts as 1: a server that may serve no connection at all \
         would leave every client waiting forever\n\n{}",
        server.timeline.render()
    );
    server.shut_down();
    assert!(server.stopped_within(SECOND).await);
}
