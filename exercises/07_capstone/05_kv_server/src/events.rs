//! The change feed: part 3 of the service, solved.

use std::io;

use futures::stream::{BoxStream, StreamExt};
use tokio::io::{AsyncBufRead, AsyncWrite, AsyncWriteExt, Lines};
use tokio::sync::{broadcast, watch};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::{Event, shutting_down};

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
        // Subscribe now, not on first poll: events published in between must not be lost.
        BroadcastStream::new(self.sender.subscribe())
            .map(|received| match received {
                Ok(event) => event,
                Err(BroadcastStreamRecvError::Lagged(count)) => Event::Missed(count),
            })
            .boxed()
    }
}

/// Writes `item` and a newline, flushed, as one line of the protocol.
pub(crate) async fn write_line<W>(writer: &mut W, item: impl std::fmt::Display) -> io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    writer.write_all(format!("{item}\n").as_bytes()).await?;
    writer.flush().await
}

/// The rest of a subscriber's connection: writes each event as a line, until the client
/// hangs up (end of its lines), the feed ends, or the server shuts down. Lines the
/// client sends meanwhile are ignored.
pub async fn forward_events<R, W>(
    mut events: BoxStream<'static, Event>,
    mut lines: Lines<R>,
    mut writer: W,
    mut shutdown: watch::Receiver<bool>,
) -> io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    loop {
        // Wait for whichever comes first. Both branches are cancel safe: the loser of
        // the race has consumed nothing when it is dropped.
        tokio::select! {
            _ = shutting_down(&mut shutdown) => return Ok(()),
            event = events.next() => match event {
                Some(event) => write_line(&mut writer, event).await?,
                None => return Ok(()),
            },
            line = lines.next_line() => match line? {
                Some(_ignored) => {}
                None => return Ok(()),
            },
        }
    }
}
