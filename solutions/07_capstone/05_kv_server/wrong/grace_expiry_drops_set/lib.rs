//! Wrong: If the grace period runs out I abort what is left and return; the JoinSet aborts its tasks anyway when dropped.
//! A line-based key-value service, part 4: the server. Many connections, a limit on
//! how many are served at once, and graceful shutdown.
//!
//! Parts 1 to 3 are solved in `protocol.rs`, `store.rs`, `retry.rs` and `events.rs`.
//! Your part is in this file.

#[path = "../../../../../exercises/07_capstone/05_kv_server/src/events.rs"]
mod events;
#[path = "../../../../../exercises/07_capstone/05_kv_server/src/protocol.rs"]
mod protocol;
#[path = "../../../../../exercises/07_capstone/05_kv_server/src/retry.rs"]
mod retry;
#[path = "../../../../../exercises/07_capstone/05_kv_server/src/store.rs"]
mod store;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWrite, BufReader, DuplexStream, Lines,
};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::{JoinError, JoinSet};

use events::write_line;
pub use events::{Events, forward_events};
pub use protocol::{Command, Event, ParseError, Reply, parse};
pub use retry::{Config, RetryPolicy, retry};
pub use store::{MemoryStore, Store, StoreError};

/// Waits until the server is shutting down: `shutdown` is `true`, or its sender is gone.
///
/// Given. `wait_for` returns a `watch::Ref`, a read guard that is not `Send`; this
/// wrapper drops it at once, so a `select!` on it can live in a spawned task.
pub async fn shutting_down(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|&down| down).await;
}

/// The next request line of a connection, or `None` when there will be no more: the
/// client hung up, or the server is shutting down (`shutdown` is `true`, or its sender
/// is gone). Returns as soon as either happens.
pub async fn next_request<R>(
    lines: &mut Lines<R>,
    shutdown: &mut watch::Receiver<bool>,
) -> io::Result<Option<String>>
where
    R: AsyncBufRead + Unpin,
{
    tokio::select! {
        biased;
        _ = shutting_down(shutdown) => Ok(None),
        line = lines.next_line() => line,
    }
}

/// Runs the server until shutdown: serves each connection that arrives on `incoming`
/// on its own task, at most `max_connections` at once (the others wait in the channel
/// until a connection ends). When `shutdown` turns `true`, or its sender is gone,
/// accepts nothing more, closes the connections still waiting in the channel, gives
/// the connections in flight up to `grace` to finish their request and close, aborts
/// those still running after that, and returns. Also returns once `incoming` is closed
/// and every connection has ended.
pub async fn run<S: Store + 'static>(
    service: Arc<Service<S>>,
    mut incoming: mpsc::Receiver<DuplexStream>,
    max_connections: usize,
    grace: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(max_connections));
    let mut connections = JoinSet::new();
    loop {
        let slot = tokio::select! {
            biased;
            _ = shutting_down(&mut shutdown) => break,
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let io = tokio::select! {
            biased;
            _ = shutting_down(&mut shutdown) => break,
            io = incoming.recv() => match io {
                Some(io) => io,
                None => break,
            },
        };
        let service = service.clone();
        let conn_shutdown = shutdown.clone();
        connections.spawn(async move {
            let _slot = slot;
            let _ = service.serve(io, conn_shutdown).await;
        });
        while let Some(ended) = connections.try_join_next() {
            note_ended(ended);
        }
    }
    drop(incoming);
    let drained = tokio::time::timeout(grace, async {
        while let Some(ended) = connections.join_next().await {
            note_ended(ended);
        }
    })
    .await;
    if drained.is_err() {
        connections.abort_all();
    }
}

/// A connection task ended: a panic is reported, an abort is expected.
fn note_ended(ended: Result<(), JoinError>) {
    if let Err(error) = ended {
        if error.is_panic() {
            eprintln!("a connection panicked: {error}");
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

    /// Serves one connection until the client hangs up or the server shuts down: one
    /// reply line per request, or, after `SUBSCRIBE`, `OK` and then one line per change
    /// event. A request in flight when shutdown comes is answered before the
    /// connection closes.
    pub async fn serve<IO>(&self, io: IO, mut shutdown: watch::Receiver<bool>) -> io::Result<()>
    where
        IO: AsyncRead + AsyncWrite,
    {
        let (reader, mut writer) = tokio::io::split(io);
        let mut lines = BufReader::new(reader).lines();
        while let Some(line) = next_request(&mut lines, &mut shutdown).await? {
            let reply = match parse(&line) {
                Ok(Command::Subscribe) => {
                    let events = self.events.subscribe();
                    write_line(&mut writer, Reply::Ok).await?;
                    return forward_events(events, lines, writer, shutdown).await;
                }
                // Not raced against shutdown: a request that was read gets its answer.
                Ok(command) => self.execute(command).await,
                Err(err) => Reply::Error(err.to_string()),
            };
            write_line(&mut writer, reply).await?;
        }
        Ok(())
    }
}
