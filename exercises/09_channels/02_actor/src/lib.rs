//! The actor pattern: read README.md beside this folder, then make the tests pass.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// The actor has stopped (it was aborted or panicked): no answer will come, for a
/// request it was working on, one still in its queue, or one sent after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the counter actor has stopped")]
pub struct ActorGone;

/// What a handle asks the actor: each request carries the `Sender` for its one reply.
/// (Change it as you like: only the handle and the actor see it.)
#[allow(dead_code)]
enum Request {
    Add {
        key: String,
        amount: u64,
        reply: oneshot::Sender<u64>,
    },
    Get {
        key: String,
        reply: oneshot::Sender<u64>,
    },
}

/// A handle to the counter actor: cheap to clone, every clone talks to the same actor.
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub struct Counters {
    requests: mpsc::Sender<Request>,
}

/// Starts the counter actor, a task that owns the counts (a map from key to total),
/// and returns a handle to it and the task.
///
/// The actor serves requests one at a time, in the order they were sent; each (a get
/// too) takes it `cost` of work (as a real actor spends on I/O) before it answers. A
/// request is carried out once it is sent (once it is in the actor's queue, which is
/// bounded, 1024 requests at most: a caller waits for room), even if its caller stops
/// waiting for the answer, and a caller that gave up is no error: the actor
/// goes on serving the others. The actor ends when the last handle is dropped and its
/// queue is empty; the task then returns the final counts: every key added to (an add
/// of 0 too), and no key that was only read.
pub fn spawn_counters(cost: Duration) -> (Counters, JoinHandle<BTreeMap<String, u64>>) {
    todo!("an mpsc channel, and a task that serves its requests, each costing {cost:?}")
}

impl Counters {
    /// Adds `amount` to `key`'s total (a key starts at 0; the total saturates at
    /// `u64::MAX`) and returns the new total.
    pub async fn add(&self, key: &str, amount: u64) -> Result<u64, ActorGone> {
        todo!("send an Add for {key} (+{amount}) with a oneshot reply Sender, await the reply")
    }

    /// `key`'s total: 0 for a key never added to. It changes nothing: the key is not
    /// put in the counts.
    pub async fn get(&self, key: &str) -> Result<u64, ActorGone> {
        todo!("send a Get for {key} with a oneshot reply Sender, await the reply")
    }
}
