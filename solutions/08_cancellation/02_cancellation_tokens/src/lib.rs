//! Cancellation tokens: one signal to stop, for a whole tree of tasks.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::{self, Instant};
use tokio_util::sync::CancellationToken;

/// Adds one to `beats` every `period`, the first one `period` after the start, until
/// `token` is cancelled. Returns as soon as it is, in the middle of a period too, and at
/// once (without a beat) if it already is. After a stall (the task held up past several
/// beats), one late beat, not one for each beat missed.
pub async fn heartbeat(token: CancellationToken, period: Duration, beats: Arc<AtomicU32>) {
    let mut ticks = time::interval_at(Instant::now() + period, period);
    // After a stall, one beat and then a period again; the default, `Burst`, would send
    // every missed beat at once to catch up (kata 06.04).
    ticks.set_missed_tick_behavior(time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            // Cancellation first: a token already cancelled ends the loop before a beat
            // that is due at the same instant.
            biased;
            () = token.cancelled() => return,
            _ = ticks.tick() => {
                beats.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// What `crawl` got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crawl {
    /// The pages fetched, in order.
    pub pages: Vec<String>,
    /// Whether every page was fetched (`false`: the token was cancelled first; `true`
    /// with no pages to fetch).
    pub complete: bool,
}

/// Fetches pages `0..pages` one after the other with `fetch(n)`, until all are fetched
/// or `token` is cancelled. Cancellation drops the page in flight at once, unfinished,
/// and returns what was fetched before it; a token already cancelled fetches nothing
/// (no page's future is polled).
pub async fn crawl<F, Fut>(token: &CancellationToken, pages: u32, mut fetch: F) -> Crawl
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = String>,
{
    let mut fetched = Vec::new();
    for n in 0..pages {
        // `None` once the token is cancelled: the fetch is dropped right then (and never
        // polled if the token was cancelled already).
        match token.run_until_cancelled(fetch(n)).await {
            Some(page) => fetched.push(page),
            None => {
                return Crawl {
                    pages: fetched,
                    complete: false,
                };
            }
        }
    }
    Crawl {
        pages: fetched,
        complete: true,
    }
}

/// A group of workers that stop together: when the team is stopped, or when the token
/// it was made under is cancelled. Stopping a team stops its workers and every team made
/// under its token, and nothing else: not the parent, not a sibling team.
pub struct Team {
    token: CancellationToken,
    workers: JoinSet<()>,
}

impl Team {
    /// A team under `parent`: cancelling `parent` stops it; stopping it leaves `parent`
    /// as it is.
    pub fn new(parent: &CancellationToken) -> Team {
        Team {
            // A child: cancelled with its parent, but cancelling it does not reach up.
            token: parent.child_token(),
            workers: JoinSet::new(),
        }
    }

    /// The team's token, to make a team under this one (`Team::new(team.token())`).
    pub fn token(&self) -> &CancellationToken {
        &self.token
    }

    /// Spawns a worker: `work` gets a token that is cancelled when this team stops.
    pub fn spawn<F, Fut>(&mut self, work: F)
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.workers.spawn(work(self.token.clone()));
    }

    /// Stops the team (and the teams under it) and waits until every one of its
    /// workers has returned. A worker's panic is re-raised here, not lost.
    pub async fn stop(self) {
        self.token.cancel();
        self.join().await;
    }

    /// Waits, without cancelling anything, until every worker has returned (after the
    /// parent was cancelled, say). A worker's panic is re-raised here, not lost.
    pub async fn join(mut self) {
        while let Some(ended) = self.workers.join_next().await {
            if let Err(error) = ended {
                // Nothing aborts these tasks while the set is alive: an error is a panic.
                if error.is_panic() {
                    std::panic::resume_unwind(error.into_panic());
                }
            }
        }
    }
}
