//! Wrong answers these tests reject:
//! - `next_request` that only reads lines and ignores shutdown (t02, t06, t07, t08)
//! - `next_request` that checks the flag once and then waits for a line (t02, t06, t08)
//! - `next_request` that prefers a line already sent over a shutdown already signalled
//!   (`biased` the wrong way round; an unbiased `select!` picks at random) (t02)
//! - `run` that serves each connection inline instead of spawning it: one at a time
//!   (t04, t05)
//! - `run` without a limit (t05)
//! - `run` that frees a connection's slot when it is accepted instead of when it ends (t05)
//! - `run` that closes connections beyond the limit instead of letting them wait (t05)
//! - `run` that stops watching shutdown while it waits for the next connection (t07, t08)
//! - `run` that ignores shutdown altogether and waits for the listener to close
//!   (t06, t07, t08)
//! - `run` that aborts its connections at shutdown (`JoinSet::abort_all`), so the
//!   request in flight is never answered (t07, t09)
//! - `run` that returns at shutdown without waiting for its connections (t07, t09)
//! - `run` that returns when the listener closes, killing live connections (t09)

use std::sync::Arc;
use std::time::Duration;

use kv_server::{Config, MemoryStore, Service, Store, StoreError, next_request, run};
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};

const SECOND: Duration = Duration::from_secs(1);

/// A memory store whose `get` takes 1s.
#[derive(Default)]
struct SlowStore {
    inner: MemoryStore,
}

impl Store for SlowStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        sleep(SECOND).await;
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
            Err(_) => panic!("{what}: nothing from the server within {wait:?} of virtual time"),
            Ok(line) => line.expect("reading from the server failed"),
        }
    }

    async fn request(&mut self, line: &str) -> String {
        self.send(line).await;
        self.next(5 * SECOND, &format!("a reply to {line:?}"))
            .await
            .unwrap_or_else(|| {
                panic!("the server closed the connection instead of answering {line:?}")
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
        },
        server,
    )
}

/// A running server: `run` on a spawned task, with the ends a test controls.
struct Server {
    listener: Option<mpsc::Sender<DuplexStream>>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Server {
    fn start(max_connections: usize) -> Self {
        // Requests may take a while here; the 10s timeout keeps them from timing out.
        let config = Config {
            request_timeout: 10 * SECOND,
            ..Config::default()
        };
        let service = Arc::new(Service::with_config(SlowStore::default(), config));
        let (listener, incoming) = mpsc::channel(16);
        let (shutdown, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(run(service, incoming, max_connections, shutdown_rx));
        Server {
            listener: Some(listener),
            shutdown,
            task,
        }
    }

    /// A new client; its connection waits in the listener's queue until `run` takes it.
    async fn connect(&self) -> Client {
        let (client, server_end) = pipe();
        // If `run` has already stopped listening, the connection is dropped: closed.
        let _ = self.listener.as_ref().unwrap().send(server_end).await;
        client
    }

    fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    /// Waits at most `wait` for `run` to return.
    async fn stopped_within(&mut self, wait: Duration) -> bool {
        timeout(wait, &mut self.task).await.is_ok()
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
    assert_eq!(
        next_request(&mut lines, &mut shutdown_rx).await.unwrap(),
        None,
        "with shutdown already on, next_request should take no new request, even one the \
         client has already sent: check shutdown first (`biased;` in select!)"
    );
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
         after the other. Spawn a task per connection",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_at_most_max_connections_are_served_at_once() {
    let server = Server::start(2);
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
         unserved, for a free slot; it got {early:?}"
    );
    drop(first); // a slot frees up
    assert_eq!(
        third
            .next(5 * SECOND, "the waiting client's reply after a slot freed")
            .await,
        Some("VALUE 1".into()),
        "when a connection ends, its slot goes to the next one waiting"
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
        "a connection that arrives after shutdown should be closed unserved"
    );
    assert!(
        server.stopped_within(5 * SECOND).await,
        "run should return after shutdown"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_shutdown_lets_the_request_in_flight_finish() {
    let mut server = Server::start(2);
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
         (JoinSet::join_next) before returning"
    );
    assert_eq!(
        client
            .next(5 * SECOND, "the reply to the request in flight")
            .await,
        Some("VALUE 1".into()),
        "a request the server was handling at shutdown should still get its answer: \
         graceful shutdown lets connections finish, it does not abort them"
    );
    assert_eq!(
        start.elapsed(),
        SECOND,
        "the answer comes when the 1s GET is done"
    );
    assert_eq!(
        client.next(5 * SECOND, "the end of the connection").await,
        None,
        "after answering, the connection should close"
    );
    assert!(
        server.stopped_within(SECOND).await,
        "with every connection closed, run should return"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_shutdown_closes_idle_connections_at_once() {
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
         open until the client leaves"
    );
    assert!(
        server.stopped_within(SECOND).await,
        "run should return once the connections are closed"
    );
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "an idle server shuts down at once"
    );
}

#[tokio::test(start_paused = true)]
async fn t09_when_the_listener_closes_live_connections_carry_on() {
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
        "run should wait for the open connection"
    );
    drop(client);
    assert!(
        server.stopped_within(SECOND).await,
        "with the listener closed and the last client gone, run should return"
    );
}
