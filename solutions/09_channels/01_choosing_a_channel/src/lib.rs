//! Choosing a channel: read README.md beside this folder, then make the tests pass.

use std::sync::Mutex;

use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{Notify, broadcast, mpsc, oneshot, watch};
use tokio::task::JoinHandle;

// ---------------------------------------------------------------------------------------
// oneshot: one reply

/// The callback a callback-style service is given: it calls it once, with its answer.
pub type Callback<T> = Box<dyn FnOnce(T) + Send>;

/// The service dropped its callback without calling it: there will be no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the service dropped the callback without answering")]
pub struct NoAnswer;

/// Calls a callback-style service and waits for its one answer.
///
/// When first polled, calls `start` once with a callback, then waits until the service
/// calls it (returns `Ok(answer)`) or drops it uncalled (returns `Err(NoAnswer)` as soon
/// as it is dropped). The service may do either inside `start`, later from a task of
/// its own, or from another thread. If the caller stops waiting (drops this future), a later call of
/// the callback does nothing: it never panics inside the service.
pub async fn call<T: Send + 'static>(start: impl FnOnce(Callback<T>)) -> Result<T, NoAnswer> {
    let (reply, answer) = oneshot::channel();
    start(Box::new(move |value| {
        // Err means the caller gave up and dropped the receiver: nobody to tell.
        let _ = reply.send(value);
    }));
    // The sender dropped without a send is a RecvError: the service will not answer.
    answer.await.map_err(|_| NoAnswer)
}

// ---------------------------------------------------------------------------------------
// mpsc: a queue

/// Starts a task that collects lines from a bounded queue of `capacity` lines.
///
/// Returns the queue's sending half (clone it for more producers) and the task. The task
/// returns every line sent, in the order the queue received them, once every sender is
/// dropped and the queue is empty; not before, even while the queue is empty.
///
/// Panics if `capacity` is 0 (as `mpsc::channel` does).
pub fn spawn_collector(capacity: usize) -> (mpsc::Sender<String>, JoinHandle<Vec<String>>) {
    let (lines_tx, mut lines_rx) = mpsc::channel(capacity);
    let collector = tokio::spawn(async move {
        let mut lines = Vec::new();
        // None only once every Sender is gone and the queue is drained.
        while let Some(line) = lines_rx.recv().await {
            lines.push(line);
        }
        lines
    });
    (lines_tx, collector)
}

// ---------------------------------------------------------------------------------------
// broadcast: fan-out

/// An event bus: every subscriber gets every event published after it subscribed.
pub struct Bus<T> {
    events: broadcast::Sender<T>,
    retained: usize,
}

impl<T: Clone> Bus<T> {
    /// A bus that keeps at least `capacity` events for subscribers that fall behind.
    ///
    /// Panics if `capacity` is 0, or larger than `usize::MAX / 2` (as
    /// `broadcast::channel` does).
    pub fn new(capacity: usize) -> Self {
        let (events, _) = broadcast::channel(capacity);
        Self {
            events,
            // tokio rounds the ring buffer up to a power of two.
            retained: capacity.next_power_of_two(),
        }
    }

    /// A new subscriber: it receives every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<T> {
        self.events.subscribe()
    }

    /// Publishes `event` to every current subscriber and returns how many there are.
    /// With no subscriber the event is dropped and the answer is 0: for a bus that is
    /// not an error.
    pub fn publish(&self, event: T) -> usize {
        // send fails only when nobody subscribes.
        self.events.send(event).unwrap_or(0)
    }

    /// How many events a subscriber can fall behind without missing one: the capacity
    /// the bus was made with, rounded up to a power of two, as tokio does.
    pub fn retained(&self) -> usize {
        self.retained
    }
}

/// What a subscriber got from the bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followed<T> {
    /// The events received, in the order published.
    pub seen: Vec<T>,
    /// How many events it missed because it fell too far behind.
    pub missed: u64,
}

/// Receives every event from `events` until the bus is gone (dropped, and everything it
/// still holds read). A subscriber that fell behind counts the events it missed and
/// goes on with the oldest one still held.
pub async fn follow<T: Clone>(mut events: broadcast::Receiver<T>) -> Followed<T> {
    let mut followed = Followed {
        seen: Vec::new(),
        missed: 0,
    };
    loop {
        match events.recv().await {
            Ok(event) => followed.seen.push(event),
            // Lagged is news, not the end: the next recv gives the oldest event kept.
            Err(RecvError::Lagged(missed)) => followed.missed += missed,
            Err(RecvError::Closed) => return followed,
        }
    }
}

// ---------------------------------------------------------------------------------------
// watch: the latest value

/// Applies configuration as it changes.
///
/// Applies the current value at once, then, each time the value changes, the newest one.
/// A slow `apply` skips the values that were replaced while it ran: never a backlog,
/// never the same version twice. Returns when the publisher is gone, after applying
/// the last value it sent.
pub async fn follow_config<T: Clone>(
    mut config: watch::Receiver<T>,
    mut apply: impl AsyncFnMut(T),
) {
    loop {
        // Marks this version seen, so `changed` waits for a newer one. Clone it: the
        // borrow is a read lock on the value, not to be held across `apply`.
        let current = config.borrow_and_update().clone();
        apply(current).await;
        if config.changed().await.is_err() {
            return; // the Sender is gone, and its last value was applied
        }
    }
}

// ---------------------------------------------------------------------------------------
// Notify: a wake-up without data

/// Messages waiting to be sent in batches by one flusher.
#[derive(Debug, Default)]
pub struct Outbox {
    pending: Mutex<Vec<String>>,
    bell: Notify,
}

impl Outbox {
    /// An empty outbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a message and wakes the flusher; never waits. A push while the flusher is
    /// busy, or before it first runs, is not lost: it goes in the next batch.
    pub fn push(&self, message: impl Into<String>) {
        self.pending.lock().unwrap().push(message.into());
        // Stores a permit if the flusher is not waiting right now.
        self.bell.notify_one();
    }

    /// The flusher: runs until dropped (it never returns). Each time it is woken it
    /// takes every pending message out and sends them with one `send` call, as one
    /// batch in the order pushed; messages pushed during a `send` go in the next batch.
    /// It never sends an empty batch.
    pub async fn run_flusher(&self, mut send: impl AsyncFnMut(Vec<String>)) {
        loop {
            self.bell.notified().await;
            // The guard is a temporary: dropped before `send` awaits.
            let batch = std::mem::take(&mut *self.pending.lock().unwrap());
            // A permit stored while we were taking may find nothing left.
            if !batch.is_empty() {
                send(batch).await;
            }
        }
    }
}
