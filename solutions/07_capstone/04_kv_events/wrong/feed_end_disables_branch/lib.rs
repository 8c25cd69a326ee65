//! Wrong: forward_events selects on `Some(event) = events.next()` and on the client's lines, and returns when the client hangs up.
//! A line-based key-value service, part 3: a feed of change events.
//!
//! Parts 1 and 2 are solved in `protocol.rs`, `store.rs` and `retry.rs`. Your part is
//! in this file.

#[path = "../../../../../exercises/07_capstone/04_kv_events/src/protocol.rs"]
mod protocol;
#[path = "../../../../../exercises/07_capstone/04_kv_events/src/retry.rs"]
mod retry;
#[path = "../../../../../exercises/07_capstone/04_kv_events/src/store.rs"]
mod store;

use std::io;

use futures::stream::{BoxStream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, Lines,
};
use tokio::sync::broadcast;

pub use protocol::{Command, Event, ParseError, Reply, parse};
pub use retry::{Config, RetryPolicy, retry};
pub use store::{MemoryStore, Store, StoreError};

/// The change feed: every subscriber gets every event published after it subscribed.
#[derive(Debug, Clone)]
pub struct Events {
    sender: broadcast::Sender<Event>,
}

impl Events {
    /// A feed that holds `capacity` events, rounded up to a power of two (tokio's
    /// broadcast channel does that), for a subscriber that falls behind. Panics if
    /// `capacity` is 0.
    pub fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity);
        Self { sender }
    }

    /// Sends `event` to every current subscriber. With no subscribers it goes nowhere,
    /// and that is fine.
    pub fn publish(&self, event: Event) {
        let _ = self.sender.send(event);
    }

    /// Every event published from now on, in order. A subscriber that fell more than
    /// `capacity` events behind gets `Event::Missed(n)` in place of the `n` it lost,
    /// and carries on from the oldest event still held.
    pub fn subscribe(&self) -> BoxStream<'static, Event> {
        BroadcastStream::new(self.sender.subscribe())
            .map(|received| match received {
                Ok(event) => event,
                Err(BroadcastStreamRecvError::Lagged(count)) => Event::Missed(count),
            })
            .boxed()
    }
}

/// Writes `item` and a newline, flushed, as one line of the protocol.
async fn write_line<W>(writer: &mut W, item: impl std::fmt::Display) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    writer.write_all(format!("{item}\n").as_bytes()).await?;
    writer.flush().await
}

/// The rest of a subscriber's connection: writes each event as a line, until the client
/// hangs up (end of its lines) or the feed ends. Lines the client sends meanwhile are
/// ignored.
pub async fn forward_events<R, W>(
    mut events: BoxStream<'static, Event>,
    mut lines: Lines<R>,
    mut writer: W,
) -> io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    loop {
        tokio::select! {
            Some(event) = events.next() => write_line(&mut writer, event).await?,
            line = lines.next_line() => match line? {
                Some(_ignored) => {}
                None => return Ok(()),
            },
        }
    }
}

/// The key-value service over some store.
#[derive(Debug)]
pub struct Service<S> {
    store: S,
    config: Config,
    events: Events,
}

impl<S: Store> Service<S> {
    pub fn new(store: S) -> Self {
        Self::with_config(store, Config::default())
    }

    pub fn with_config(store: S, config: Config) -> Self {
        let events = Events::new(config.event_capacity);
        Self {
            store,
            config,
            events,
        }
    }

    /// The change feed of this service.
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// Runs one command against the store: retried per `config.retry`, and cut off
    /// after `config.request_timeout` with `ERR timeout`.
    pub async fn execute(&self, command: Command) -> Reply {
        let call = retry(self.config.retry, || self.apply(&command));
        match tokio::time::timeout(self.config.request_timeout, call).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(err)) => Reply::Error(err.to_string()),
            Err(_elapsed) => Reply::Error("timeout".to_string()),
        }
    }

    /// One backend call for `command`; a change that happened is published.
    async fn apply(&self, command: &Command) -> Result<Reply, StoreError> {
        Ok(match command {
            Command::Get { key } => match self.store.get(key).await? {
                Some(value) => Reply::Value(value),
                None => Reply::NotFound,
            },
            Command::Set { key, value } => {
                self.store.set(key, value).await?;
                self.events.publish(Event::Set {
                    key: key.clone(),
                    value: value.clone(),
                });
                Reply::Ok
            }
            Command::Del { key } => match self.store.del(key).await? {
                true => {
                    self.events.publish(Event::Deleted { key: key.clone() });
                    Reply::Ok
                }
                false => Reply::NotFound,
            },
            Command::Subscribe => Reply::Error("SUBSCRIBE must be sent on a connection".into()),
        })
    }

    /// Serves one connection until the client hangs up: one reply line per request,
    /// or, after `SUBSCRIBE`, `OK` and then one line per change event.
    pub async fn serve<IO>(&self, io: IO) -> io::Result<()>
    where
        IO: AsyncRead + AsyncWrite,
    {
        let (reader, mut writer) = tokio::io::split(io);
        let mut lines = BufReader::new(reader).lines();
        while let Some(line) = lines.next_line().await? {
            let reply = match parse(&line) {
                Ok(Command::Subscribe) => {
                    // Subscribe before the OK: every change after the client reads OK
                    // is in its feed.
                    let events = self.events.subscribe();
                    write_line(&mut writer, Reply::Ok).await?;
                    return forward_events(events, lines, writer).await;
                }
                Ok(command) => self.execute(command).await,
                Err(err) => Reply::Error(err.to_string()),
            };
            write_line(&mut writer, reply).await?;
        }
        Ok(())
    }
}
