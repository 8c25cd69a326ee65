//! Cancellation tokens: read README.md beside this folder, then make the tests pass.

use std::sync::Arc;
use std::sync::atomic::AtomicU32;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Adds one to `beats` every `period`, the first one `period` after the start, until
/// `token` is cancelled. Returns as soon as it is, in the middle of a period too, and at
/// once (without a beat) if it already is. After a stall (the task held up past several
/// beats), one late beat, not one for each beat missed.
pub async fn heartbeat(token: CancellationToken, period: Duration, beats: Arc<AtomicU32>) {
    let _ = (token, beats);
    todo!("a beat every {period:?} until the token is cancelled: select! on `token.cancelled()`")
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
    let _ = (token, &mut fetch);
    todo!("fetch pages 0..{pages} one by one, each until the token is cancelled")
}

/// A group of workers that stop together: when the team is stopped, or when the token
/// it was made under is cancelled. Stopping a team stops its workers and every team made
/// under its token, and nothing else: not the parent, not a sibling team.
#[allow(dead_code)]
pub struct Team {
    token: CancellationToken,
    workers: JoinSet<()>,
}

impl Team {
    /// A team under `parent`: cancelling `parent` stops it; stopping it leaves `parent`
    /// as it is.
    pub fn new(parent: &CancellationToken) -> Team {
        let _ = parent;
        todo!("a team whose token is cancelled with its parent, not the other way round")
    }

    /// The team's token, to make a team under this one (`Team::new(team.token())`).
    pub fn token(&self) -> &CancellationToken {
        todo!("the team's token")
    }

    /// Spawns a worker: `work` gets a token that is cancelled when this team stops.
    pub fn spawn<F, Fut>(&mut self, work: F)
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let _ = work;
        todo!("spawn the worker with a token the team's stop cancels")
    }

    /// Stops the team (and the teams under it) and waits until every one of its
    /// workers has returned. A worker's panic is re-raised here, not lost.
    pub async fn stop(self) {
        todo!("cancel the team, then wait for its workers")
    }

    /// Waits, without cancelling anything, until every worker has returned (after the
    /// parent was cancelled, say). A worker's panic is re-raised here, not lost.
    pub async fn join(self) {
        todo!("wait for every worker; re-raise a worker's panic")
    }
}
