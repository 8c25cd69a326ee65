//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `subscribes_on_first_poll` (t01, t02, t04): the feed subscribes at its first poll
//! - `publishes_before_the_store` (t02, t03): a failed write is announced
//! - `publishes_every_del` (t02): a `DEL` of a missing key is announced
//! - `lag_dropped_silently` (t06, t07): a lag is skipped, not `EVENT MISSED n`
//! - `feed_ends_at_lag` (t06, t07): the stream ends at the first lag
//! - `line_then_event` (t08): a client line, then an event, in turn, not raced
//! - `ends_on_client_line` (t08): any line from the client ends the feed
//! - `events_only` (t09): only events are awaited, a hang-up goes unnoticed
//! - `feed_end_disables_branch` (t10, t11): `Some(event) = events.next()` as a `select!` pattern: at the feed's end the branch is disabled and forwarding waits for the client forever
//!
//! Blind answers: 8 tried, 1 passed before this test file caught it (2026-12):
//! `feed_end_disables_branch` (every test ended the feed by dropping the service, which
//! also closed the client; t10 ends the feed with the client still there, at every
//! instant around a line it sends). t11 uses the fault kit's `Writer` (short writes, a
//! write that fails at the Nth call).
//!
//! Equivalent mutants (cargo-mutants cannot tell them apart from the solution):
//! - mutant `replace match guard !value.trim().is_empty() with true in parse`: `parse` trims the line first, so the rest after `SET key ` always ends in a non-space and the value is never blank

use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use kv_events::{
    Command, Config, Event, MemoryStore, Reply, RetryPolicy, Service, Store, StoreError,
    forward_events,
};
use std::sync::Arc;
use timeline::Timeline;
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout};

fn set(key: &str, value: &str) -> Command {
    Command::Set {
        key: key.into(),
        value: value.into(),
    }
}
fn del(key: &str) -> Command {
    Command::Del { key: key.into() }
}
fn get(key: &str) -> Command {
    Command::Get { key: key.into() }
}
fn set_event(key: &str, value: &str) -> Event {
    Event::Set {
        key: key.into(),
        value: value.into(),
    }
}

/// The next event, waiting at most 5s of virtual time.
async fn next_event(feed: &mut BoxStream<'static, Event>) -> Event {
    match timeout(Duration::from_secs(5), feed.next()).await {
        Err(_) => panic!("no event within 5s: the change was not published to this subscriber"),
        Ok(None) => panic!("the event stream ended, but the service is still running"),
        Ok(Some(event)) => event,
    }
}

/// A backend whose writes always fail.
struct DownStore;

impl Store for DownStore {
    async fn get(&self, _key: &str) -> Result<Option<String>, StoreError> {
        Err(StoreError::Unavailable)
    }
    async fn set(&self, _key: &str, _value: &str) -> Result<(), StoreError> {
        Err(StoreError::Rejected("read-only".into()))
    }
    async fn del(&self, _key: &str) -> Result<bool, StoreError> {
        Err(StoreError::Unavailable)
    }
}

#[tokio::test(start_paused = true)]
async fn t01_a_subscriber_sees_each_change_in_order() {
    let service = Service::new(MemoryStore::default());
    let mut feed = service.events().subscribe();
    // The changes happen before the feed is first polled: they must wait in it.
    service.execute(set("a", "1")).await;
    service.execute(set("b", "2")).await;
    service.execute(del("a")).await;
    assert_eq!(
        next_event(&mut feed).await,
        set_event("a", "1"),
        "the first event should be the first change, SET a 1: the subscription exists as \
         soon as subscribe() returns (not at the first poll), so changes made before the \
         first next() wait in the feed"
    );
    assert_eq!(
        next_event(&mut feed).await,
        set_event("b", "2"),
        "the second event should be SET b 2: one event per successful change, in the order \
         they happened"
    );
    assert_eq!(
        next_event(&mut feed).await,
        Event::Deleted { key: "a".into() },
        "a subscriber sees every change, in the order they happened"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_only_changes_that_happened_are_published() {
    let service = Service::new(MemoryStore::default());
    service.execute(set("a", "0")).await;
    let mut feed = service.events().subscribe();
    assert_eq!(
        service.execute(get("a")).await,
        Reply::Value("0".into()),
        "GET a should still answer VALUE 0: publishing events must not change what execute \
         replies"
    ); // a read changes nothing
    assert_eq!(
        service.execute(del("ghost")).await,
        Reply::NotFound,
        "a DEL of a key that was never set answers NOT_FOUND: it deleted nothing"
    ); // nothing to delete
    service.execute(set("a", "1")).await;
    assert_eq!(
        next_event(&mut feed).await,
        set_event("a", "1"),
        "a read and a DEL of a missing key change nothing: the first event should be the SET"
    );

    let down = Service::new(DownStore);
    let mut feed = down.events().subscribe();
    let reply = down.execute(set("a", "1")).await;
    assert!(
        matches!(reply, Reply::Error(_)),
        "the write failed: {reply:?}"
    );
    assert!(
        timeout(Duration::from_secs(5), feed.next()).await.is_err(),
        "a write the store refused changed nothing, so nothing should be published: \
         publish after the store call succeeds, not before"
    );
}

/// A backend that is down for its first `down` writes, then accepts them; it counts
/// every write, and draws each as an attempt of `set(key)`. `set` of a key `rejected`
/// is always refused.
struct FlakyStore {
    down: usize,
    writes: Arc<std::sync::Mutex<usize>>,
    timeline: Timeline,
}

/// A service over a `FlakyStore`, a way to read how many writes it got, and the
/// timeline of those writes.
fn flaky(down: usize, config: Config) -> (Service<FlakyStore>, impl Fn() -> usize, Timeline) {
    let writes = Arc::new(std::sync::Mutex::new(0));
    let timeline = Timeline::new();
    let store = FlakyStore {
        down,
        writes: writes.clone(),
        timeline: timeline.clone(),
    };
    (
        Service::with_config(store, config),
        move || *writes.lock().unwrap(),
        timeline,
    )
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
            "20 writes for a handful of requests: the retries never stop"
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
async fn t03_a_write_is_published_once_when_a_retry_gets_it_through() {
    // Down for 4 writes: 5 attempts with capped waits of 100, 200, 250, 250ms.
    let config = Config {
        request_timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            attempts: 5,
            base_delay: Duration::from_millis(100),
            cap: Duration::from_millis(250),
        },
        ..Config::default()
    };
    let (service, writes, timeline) = flaky(4, config);
    timeline.expect("5 attempts of set(a), waiting 100 ms, 200 ms, 250 ms and 250 ms between them");
    let mut feed = service.events().subscribe();
    let start = Instant::now();
    assert_eq!(
        service.execute(set("a", "1")).await,
        Reply::Ok,
        "the fifth attempt succeeds, so the SET answers OK"
    );
    assert_eq!(
        (writes(), start.elapsed()),
        (5, Duration::from_millis(800)),
        "5 attempts, with waits of 100, 200, 250 and 250ms between them\n\n{}",
        timeline.render()
    );
    assert_eq!(
        next_event(&mut feed).await,
        set_event("a", "1"),
        "the write went through on its last attempt: that is when it is published"
    );
    assert!(
        timeout(Duration::from_secs(5), feed.next()).await.is_err(),
        "the four failed attempts changed nothing: only the one that succeeded is published"
    );

    // Down for good: 5 attempts, then the error, and nothing published.
    let (service, writes, timeline) = flaky(100, config);
    timeline.expect(
        "5 attempts of set(a), waiting 100 ms, 200 ms, 250 ms and 250 ms between them, none after",
    );
    let mut feed = service.events().subscribe();
    let start = Instant::now();
    assert_eq!(
        service.execute(set("a", "1")).await,
        Reply::Error("backend unavailable".into()),
        "every attempt failed, so the SET answers ERR"
    );
    assert_eq!(
        (writes(), start.elapsed()),
        (5, Duration::from_millis(800)),
        "5 attempts and no wait after the last\n\n{}",
        timeline.render()
    );
    assert!(
        timeout(Duration::from_secs(5), feed.next()).await.is_err(),
        "a write that never went through is never published"
    );

    // Rejected: one attempt, the error, nothing published.
    let (service, writes, timeline) = flaky(0, config);
    timeline.expect("1 attempt of set(rejected)");
    let mut feed = service.events().subscribe();
    assert_eq!(
        service.execute(set("rejected", "1")).await,
        Reply::Error("backend rejected the request: read-only key".into()),
        "a rejected SET answers ERR with the store's reason"
    );
    assert_eq!(
        writes(),
        1,
        "a rejection is not retried\n\n{}",
        timeline.render()
    );
    assert!(
        timeout(Duration::from_secs(5), feed.next()).await.is_err(),
        "a rejected write is never published"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_a_late_subscriber_sees_only_later_changes() {
    let service = Service::new(MemoryStore::default());
    service.execute(set("a", "1")).await;
    let mut feed = service.events().subscribe();
    service.execute(set("b", "2")).await;
    assert_eq!(
        next_event(&mut feed).await,
        set_event("b", "2"),
        "a feed starts at the moment of subscribing: there is no history to replay"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_every_subscriber_gets_every_change() {
    let service = Service::new(MemoryStore::default());
    let mut first = service.events().subscribe();
    let mut second = service.events().subscribe();
    service.execute(set("a", "1")).await;
    assert_eq!(
        next_event(&mut first).await,
        set_event("a", "1"),
        "the first subscriber should get the SET event: every subscriber made before a \
         change gets it"
    );
    assert_eq!(
        next_event(&mut second).await,
        set_event("a", "1"),
        "a broadcast gives each subscriber its own copy of each event"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_a_slow_subscriber_learns_how_many_events_it_missed() {
    let config = Config {
        event_capacity: 2,
        ..Config::default()
    };
    let service = Service::with_config(MemoryStore::default(), config);
    let mut feed = service.events().subscribe();
    for i in 1..=5 {
        service.execute(set(&format!("k{i}"), "v")).await;
    }
    assert_eq!(
        next_event(&mut feed).await,
        Event::Missed(3),
        "the feed holds 2 events; 5 were published before this subscriber read any, so it \
         lost 3 and should be told so (the broadcast receiver reports Lagged(3))"
    );
    assert_eq!(
        next_event(&mut feed).await,
        set_event("k4", "v"),
        "after the lag the subscriber carries on with the oldest event still held"
    );
    assert_eq!(
        next_event(&mut feed).await,
        set_event("k5", "v"),
        "after the MISSED event the feed carries on in order: k4, then k5"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_broadcast_rounds_the_capacity_up_to_a_power_of_two() {
    let config = Config {
        event_capacity: 3,
        ..Config::default()
    };
    let service = Service::with_config(MemoryStore::default(), config);
    let mut feed = service.events().subscribe();
    for i in 1..=6 {
        service.execute(set(&format!("k{i}"), "v")).await;
    }
    assert_eq!(
        next_event(&mut feed).await,
        Event::Missed(2),
        "broadcast::channel(3) holds 4 events, not 3: tokio rounds the capacity up to a \
         power of two. Of 6 events published before the first read, 2 are lost"
    );
    for i in 3..=6 {
        assert_eq!(
            next_event(&mut feed).await,
            set_event(&format!("k{i}"), "v"),
            "after MISSED 2 the four events still held come in order, k3 to k6"
        );
    }
}

// --- over the wire -----------------------------------------------------------------

struct Client {
    lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
    writer: WriteHalf<DuplexStream>,
}

impl Client {
    async fn send(&mut self, line: &str) {
        self.writer
            .write_all(format!("{line}\n").as_bytes())
            .await
            .expect("the connection is closed: the server task ended (did it panic? see above)");
    }

    /// The next line from the server, waiting at most 5s of virtual time.
    async fn line(&mut self) -> String {
        match timeout(Duration::from_secs(5), self.lines.next_line()).await {
            Err(_) => panic!("no line from the server within 5s of virtual time"),
            Ok(Ok(Some(line))) => line,
            Ok(other) => panic!("the server closed the connection: {other:?}"),
        }
    }

    async fn request(&mut self, line: &str) -> String {
        self.send(line).await;
        self.line().await
    }
}

fn connect<S: Store + 'static>(
    service: &Arc<Service<S>>,
) -> (Client, JoinHandle<std::io::Result<()>>) {
    connect_on(service, &Timeline::new(), "serve")
}

/// `connect`, with the connection's task drawn on `timeline` as `label`: from when
/// `serve` starts to when it returns.
fn connect_on<S: Store + 'static>(
    service: &Arc<Service<S>>,
    timeline: &Timeline,
    label: &str,
) -> (Client, JoinHandle<std::io::Result<()>>) {
    let (client, server) = tokio::io::duplex(1024);
    let service = service.clone();
    let (timeline, label) = (timeline.clone(), label.to_string());
    let task = tokio::spawn(async move { timeline.run(label, service.serve(server)).await });
    let (reader, writer) = tokio::io::split(client);
    (
        Client {
            lines: BufReader::new(reader).lines(),
            writer,
        },
        task,
    )
}

#[tokio::test(start_paused = true)]
async fn t08_a_subscribed_connection_receives_event_lines() {
    let service = Arc::new(Service::new(MemoryStore::default()));
    let (mut watcher, _watching) = connect(&service);
    let (mut writer, _writing) = connect(&service);
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
        "SUBSCRIBE should be answered `OK` before any event line"
    );
    // A subscriber's own lines are ignored: they neither end the feed nor get replies.
    watcher.send("GET color").await;
    assert_eq!(
        writer.request("SET color blue").await,
        "OK",
        "`SET color blue` on the writer's connection should answer OK, whoever is watching"
    );
    assert_eq!(
        watcher.line().await,
        "EVENT SET color blue",
        "a change made on one connection should reach the subscribed one as an event line; \
         the line the subscriber sent after SUBSCRIBE is ignored: no reply, and the feed \
         goes on"
    );
    assert_eq!(
        writer.request("DEL color").await,
        "OK",
        "`DEL color` on the writer's connection should answer OK"
    );
    assert_eq!(
        watcher.line().await,
        "EVENT DEL color",
        "the DEL should reach the subscribed connection as `EVENT DEL color`: \
         forward_events keeps writing one line per event for as long as the client stays \
         connected"
    );
}

#[tokio::test(start_paused = true)]
async fn t09_a_subscriber_connection_ends_when_the_client_hangs_up() {
    let service = Arc::new(Service::new(MemoryStore::default()));
    let timeline = Timeline::new();
    timeline.expect("serve(watcher) ends at the hang-up, at 0 ms");
    let (mut watcher, watching) = connect_on(&service, &timeline, "serve(watcher)");
    assert_eq!(
        watcher.request("SUBSCRIBE").await,
        "OK",
        "SUBSCRIBE should be answered `OK`"
    );
    drop(watcher); // hang up while no event is coming
    timeline.start("watcher hangs up").end();
    let result = timeout(Duration::from_secs(5), watching)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "the subscriber hung up 5s ago and its connection is still open: while \
                 waiting for events, also watch the client's lines for end of file \
                 (tokio::select!)\n\n{}",
                timeline.render()
            )
        });
    assert!(
        matches!(result, Ok(Ok(()))),
        "a hang-up is a normal end: {result:?}"
    );
}

/// A feed of `count` events, one every 10 ms, that ends 10 ms after the last (at
/// `10 * (count + 1)` ms).
fn short_feed(count: u64) -> BoxStream<'static, Event> {
    futures::stream::unfold(0, move |n| async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        (n < count).then(|| {
            let event = Event::Set {
                key: format!("k{n}"),
                value: format!("v{n}"),
            };
            (event, n + 1)
        })
    })
    .boxed()
}

#[tokio::test(start_paused = true)]
async fn t10_forwarding_ends_when_the_feed_ends_with_the_client_still_there() {
    // Every instant that matters: the feed ends before, at and after a line the client
    // sends (at 20 ms), and the client never hangs up.
    for count in 0..4u64 {
        let (client, server) = tokio::io::duplex(1024);
        let (server_read, _server_write) = tokio::io::split(server);
        let (_client_read, mut client_write) = tokio::io::split(client);
        let chatter = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let _ = client_write.write_all(b"PING\n").await;
            client_write // kept: the client does not hang up
        });
        let writer = timeline::faults::io::Writer::new();
        let written = writer.written();
        let start = Instant::now();
        let result = timeout(
            Duration::from_secs(3600),
            forward_events(
                short_feed(count),
                BufReader::new(server_read).lines(),
                writer,
            ),
        )
        .await
        .unwrap_or_else(|_| {
            panic!(
                "a feed of {count} events ended at {} ms, the client still connected: \
                 forward_events must end with the feed too, not only at the client's \
                 hang-up. A select! branch `Some(event) = events.next()` is disabled at the \
                 feed's end instead of ending the loop",
                10 * (count + 1)
            )
        });
        let want: String = (0..count)
            .map(|n| format!("EVENT SET k{n} v{n}\n"))
            .collect();
        assert_eq!(
            (
                result.map_err(|e| e.to_string()),
                String::from_utf8_lossy(&written.lock().unwrap()).into_owned(),
                start.elapsed()
            ),
            (Ok(()), want, Duration::from_millis(10 * (count + 1))),
            "a feed of {count} events that then ends, a client that sends a line at 20 ms \
             and stays: every event is written as a line, and forwarding ends with the \
             feed, at once"
        );
        drop(chatter);
    }
}

#[tokio::test(start_paused = true)]
async fn t11_forwarding_returns_a_write_error_and_survives_short_writes() {
    use timeline::faults::io::{Fault, Writer};
    // The client's connection takes at most 3 bytes per write: a line still goes whole.
    let (_client, server) = tokio::io::duplex(1024);
    let writer = Writer::new().chunks(3);
    let written = writer.written();
    let result = timeout(
        Duration::from_secs(3600),
        forward_events(short_feed(2), BufReader::new(server).lines(), writer),
    )
    .await
    .expect("the feed ended, so forwarding ends");
    assert_eq!(
        (
            result.map_err(|e| e.to_string()),
            String::from_utf8_lossy(&written.lock().unwrap()).into_owned()
        ),
        (Ok(()), "EVENT SET k0 v0\nEVENT SET k1 v1\n".to_string()),
        "a connection that accepts 3 bytes per write still gets every line whole \
         (write_all, as write_line does)"
    );
    // The second write fails: the connection broke. The error is returned, at once.
    for broken_at in [1, 2] {
        let (_client, server) = tokio::io::duplex(1024);
        let writer = Writer::new()
            .chunks(8)
            .fault_at(broken_at, Fault::Error(std::io::ErrorKind::BrokenPipe));
        let result = timeout(
            Duration::from_secs(3600),
            forward_events(short_feed(3), BufReader::new(server).lines(), writer),
        )
        .await
        .unwrap_or_else(|_| {
            panic!(
                "write {broken_at} failed and forward_events kept waiting: a failed write ends it"
            )
        });
        assert_eq!(
            result.map_err(|e| e.kind()),
            Err(std::io::ErrorKind::BrokenPipe),
            "write {broken_at} to the client failed (broken pipe): forward_events returns \
             that error, it does not swallow it and go on"
        );
    }
}
