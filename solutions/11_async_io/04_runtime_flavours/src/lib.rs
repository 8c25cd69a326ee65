//! Runtime flavours: `!Send` state on a `LocalSet`, bridging sync and async code, and what
//! a runtime's shutdown does to the work still on it.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::panic::resume_unwind;
use std::rc::Rc;
use std::time::Duration;

use tokio::runtime::{Builder, Handle};
use tokio::sync::{mpsc, oneshot};
use tokio::task::LocalSet;

/// Counts the words that arrive on `sources`, one `spawn_local` task per source, all
/// sharing one `Rc<RefCell<BTreeMap>>` on a `LocalSet`; returns the counts once every
/// source has closed. Each message is one word, counted as it is (case and spaces
/// kept). The sources are read concurrently (a source whose sender waits on another
/// source does not hold the others up). Works on any runtime flavour, awaited where it
/// is (its future is `!Send`: it is not spawned).
pub async fn tally(sources: Vec<mpsc::Receiver<String>>) -> BTreeMap<String, usize> {
    let counts = Rc::new(RefCell::new(BTreeMap::new()));
    let local = LocalSet::new();
    let tasks: Vec<_> = sources
        .into_iter()
        .map(|mut source| {
            let counts = Rc::clone(&counts);
            local.spawn_local(async move {
                while let Some(word) = source.recv().await {
                    // Borrowed for this statement only: never across an `.await`.
                    *counts.borrow_mut().entry(word).or_insert(0) += 1;
                }
            })
        })
        .collect();
    local
        .run_until(async {
            for task in tasks {
                if let Err(err) = task.await
                    && err.is_panic()
                {
                    resume_unwind(err.into_panic());
                }
            }
        })
        .await;
    counts.take()
}

/// A key-value store served by a task on a tokio runtime. (Given: not part of the task.)
#[derive(Debug, Clone)]
pub struct Store {
    requests: mpsc::UnboundedSender<(String, oneshot::Sender<Option<String>>)>,
}

impl Store {
    /// Spawns the store's task, holding `entries`, on the current runtime (panics outside
    /// one).
    pub fn spawn(entries: impl IntoIterator<Item = (String, String)>) -> Store {
        let entries: HashMap<String, String> = entries.into_iter().collect();
        let (requests, mut incoming) =
            mpsc::unbounded_channel::<(String, oneshot::Sender<Option<String>>)>();
        tokio::spawn(async move {
            while let Some((key, reply)) = incoming.recv().await {
                let _ = reply.send(entries.get(&key).cloned());
            }
        });
        Store { requests }
    }

    /// The value of `key`, or `None` if there is none or the store does not answer within
    /// 60 s. Uses a tokio timer, so it must run inside a tokio runtime's context.
    ///
    /// # Panics
    ///
    /// On an empty key: asking for one is a bug in the caller.
    pub async fn get(&self, key: &str) -> Option<String> {
        assert!(!key.is_empty(), "empty key: a store has no such entry");
        let (reply, answer) = oneshot::channel();
        self.requests.send((key.to_string(), reply)).ok()?;
        tokio::time::timeout(Duration::from_secs(60), answer)
            .await
            .ok()?
            .ok()?
    }
}

/// For plain threads, not async code: looks `key` up in `store`, blocking the calling
/// thread until the answer comes, with `handle`'s runtime driving the lookup. Panics if
/// called from async code (a runtime thread, of any runtime), as `Handle::block_on`
/// does, rather than block that thread.
pub fn lookup_blocking(handle: &Handle, store: &Store, key: &str) -> Option<String> {
    handle.block_on(store.get(key))
}

/// For async code on any runtime flavour: runs [`lookup_blocking`] without blocking the
/// runtime's threads and without panicking. A panic of the lookup is resumed here, as
/// it is (the same payload); a lookup that never ran (its runtime shut down before the
/// blocking job could start) is `None`.
pub async fn lookup_from_async(store: Store, key: String) -> Option<String> {
    let handle = Handle::current();
    // Not `block_in_place`: it panics on a current-thread runtime, which has no other
    // worker to hand its tasks to.
    match tokio::task::spawn_blocking(move || lookup_blocking(&handle, &store, &key)).await {
        Ok(value) => value,
        Err(err) if err.is_panic() => resume_unwind(err.into_panic()),
        Err(_) => None,
    }
}

/// A synchronous `main` for async code: builds a current-thread runtime with I/O and
/// timers, runs `main` on it, then shuts the runtime down: tasks still running are
/// dropped at their next `.await`, and a blocking job still running does not keep `run`
/// from returning (it is given up to `grace` to finish: `Runtime::shutdown_timeout`).
/// Returns `main`'s output, or the error of building the runtime.
pub fn run<F: Future>(main: F, grace: Duration) -> io::Result<F::Output> {
    let runtime = Builder::new_current_thread().enable_all().build()?;
    let output = runtime.block_on(main);
    runtime.shutdown_timeout(grace);
    Ok(output)
}
