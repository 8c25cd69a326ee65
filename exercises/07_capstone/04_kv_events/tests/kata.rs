//! Wrong answers these tests reject:
//! - `subscribe` that drops the lag error silently, e.g. `filter_map(Result::ok)` (t05)
//! - `subscribe` whose stream ends at the first lag, e.g. `take_while(is_ok)` (t05)
//! - `subscribe` that subscribes on first poll instead of at once: changes made between
//!   `subscribe()` and the first `next()` are lost (t01)
//! - `apply` that publishes nothing (t01), or publishes before the store call, so a
//!   failed write is announced (t02)
//! - `apply` that publishes a `DEL` of a key that was not there, or a read of a key
//!   that was (t02)
//! - `forward_events` that only waits for events and never notices the client hang up
//!   (t07)
//! - `forward_events` that waits for a line from the client before each event, or reads
//!   the client and the feed one after the other instead of racing them (t06)

use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use kv_events::{Command, Config, Event, MemoryStore, Reply, Service, Store, StoreError};
use std::sync::Arc;
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tokio::task::JoinHandle;
use tokio::time::timeout;

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

#[tokio::test(start_paused = true)]
async fn t03_a_late_subscriber_sees_only_later_changes() {
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
async fn t04_every_subscriber_gets_every_change() {
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
async fn t05_a_slow_subscriber_learns_how_many_events_it_missed() {
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
    let (client, server) = tokio::io::duplex(1024);
    let service = service.clone();
    let task = tokio::spawn(async move { service.serve(server).await });
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
async fn t06_a_subscribed_connection_receives_event_lines() {
    let service = Arc::new(Service::new(MemoryStore::default()));
    let (mut watcher, _watching) = connect(&service);
    let (mut writer, _writing) = connect(&service);
    assert_eq!(
        watcher.request("SUBSCRIBE").await,
        "OK",
        "SUBSCRIBE should be answered `OK` before any event line"
    );
    assert_eq!(
        writer.request("SET color blue").await,
        "OK",
        "`SET color blue` on the writer's connection should answer OK, whoever is watching"
    );
    assert_eq!(
        watcher.line().await,
        "EVENT SET color blue",
        "a change made on one connection should reach the subscribed one as an event line, \
         without the subscriber sending anything"
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
async fn t07_a_subscriber_connection_ends_when_the_client_hangs_up() {
    let service = Arc::new(Service::new(MemoryStore::default()));
    let (mut watcher, watching) = connect(&service);
    assert_eq!(
        watcher.request("SUBSCRIBE").await,
        "OK",
        "SUBSCRIBE should be answered `OK`"
    );
    drop(watcher); // hang up while no event is coming
    let result = timeout(Duration::from_secs(5), watching).await.expect(
        "the subscriber hung up 5s ago and its connection is still open: while waiting for \
         events, also watch the client's lines for end of file (tokio::select!)",
    );
    assert!(
        matches!(result, Ok(Ok(()))),
        "a hang-up is a normal end: {result:?}"
    );
}
