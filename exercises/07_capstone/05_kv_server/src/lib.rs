//! A line-based key-value service, part 4: the server. Many connections, a limit on
//! how many are served at once, and graceful shutdown.
//!
//! Parts 1 to 3 are solved in `protocol.rs`, `store.rs`, `retry.rs` and `events.rs`.
//! Your part is in this file.

mod events;
mod protocol;
mod retry;
mod store;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWrite, BufReader, DuplexStream, Lines,
};
use tokio::sync::{mpsc, watch};

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
    let _ = (lines, shutdown);
    todo!("the next line, or None at hang-up or shutdown")
}

/// Runs the server until shutdown: serves each connection that arrives on `incoming`
/// on its own task, at most `max_connections` at once (0 counts as 1; the others wait
/// in the channel until a connection ends). When `shutdown` turns `true`, or its sender
/// is gone, accepts nothing more, closes the connections still waiting in the channel,
/// gives the connections in flight up to `grace` to finish their request and close,
/// aborts those still running after that, waits for the aborted ones to be dropped, and
/// returns: nothing of a connection runs after `run` returns. Once `incoming` is closed
/// without a shutdown, the open connections carry on with no time limit: `run` returns
/// when the last one has ended, or, if a shutdown comes first, as above (`grace` counts
/// from the shutdown).
pub async fn run<S: Store + 'static>(
    service: Arc<Service<S>>,
    mut incoming: mpsc::Receiver<DuplexStream>,
    max_connections: usize,
    grace: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = (service, &mut incoming, &mut shutdown);
    todo!(
        "serve connections, at most {max_connections} at once, until shutdown, then drain for up to {grace:?}"
    )
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
