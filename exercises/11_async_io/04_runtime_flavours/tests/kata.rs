//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `spawn_local_without_a_local_set` (t01, t02, t03): `tokio::task::spawn_local` with no `LocalSet` around it
//! - `tasks_not_waited_for` (t01, t02, t03): runs the `LocalSet` until the tasks are spawned, not until they finish
//! - `sources_one_after_another` (t02): reads the sources one after the other, in one task
//! - `borrow_held_across_await` (t02): each task takes `borrow_mut()` once and holds it across `recv().await`
//! - `futures_block_on` (t04): `futures::executor::block_on` on the plain thread, outside the runtime's context
//! - `bridge_called_directly` (t05, t06): calls `lookup_blocking` right on the runtime thread
//! - `block_in_place_everywhere` (t05): `block_in_place` on every flavour, which panics on a current-thread runtime
//! - `multi_thread_runtime` (t08): `Runtime::new()`, a multi-thread runtime
//! - `no_drivers_enabled` (t08): a current-thread runtime built without `enable_all`, so timers panic
//! - `runtime_leaked` (t09): `mem::forget`s the runtime after `block_on`, so it never shuts down
//! - `runtime_dropped` (t10): drops the runtime at the end of `run`, which waits for blocking jobs for ever (the runner's time limit stops it)
//! - `lookup_panic_becomes_none` (t07): `spawn_blocking(..).await.ok().flatten()`, a panic of the lookup read as "not found"
//! - mutant `replace match guard err.is_panic() with true in lookup_from_async`: a JoinError that is no panic is a cancellation by the runtime's shutdown, and that same shutdown drops the task awaiting it before it can see the error
//!
//! No verdict depends on thread timing: the plain threads here only wait for answers
//! (joined, never raced against a clock), and the shutdown tests look at flags after the
//! call that must have set them has returned.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use runtime_flavours::{Store, lookup_blocking, lookup_from_async, run, tally};
use tokio::runtime::{Builder, Handle, RuntimeFlavor};
use tokio::sync::mpsc;
use tokio::time::timeout;

/// Long enough in virtual time that only a side waiting for ever reaches it.
const FOREVER: Duration = Duration::from_secs(3600);

fn words(list: &[(&str, usize)]) -> BTreeMap<String, usize> {
    list.iter().map(|&(w, n)| (w.to_string(), n)).collect()
}

fn store() -> Store {
    Store::spawn([
        ("rust".to_string(), "a language".to_string()),
        ("tokio".to_string(), "a runtime".to_string()),
    ])
}

/// Sets its flag when dropped.
struct DropGuard(Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(start_paused = true)]
async fn t01_tally_counts_the_words_of_every_source() {
    let (a_tx, a_rx) = mpsc::channel(16);
    let (b_tx, b_rx) = mpsc::channel(16);
    for w in ["to", "be", "or"] {
        a_tx.send(w.to_string())
            .await
            .expect("the receiver is there");
    }
    for w in ["not", "to", "be"] {
        b_tx.send(w.to_string())
            .await
            .expect("the receiver is there");
    }
    drop((a_tx, b_tx));
    let counts = timeout(FOREVER, tally(vec![a_rx, b_rx]))
        .await
        .expect("both sources are closed: tally should have finished");
    assert_eq!(
        counts,
        words(&[("be", 2), ("not", 1), ("or", 1), ("to", 2)]),
        "every word of both sources, counted once: tally returns when every task has \
         finished reading its source, not as soon as the tasks are spawned"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_tally_reads_its_sources_concurrently() {
    let (a_tx, a_rx) = mpsc::channel(1);
    let (b_tx, b_rx) = mpsc::channel(1);
    // One producer feeds both sources in turn, and closes `a` last.
    let producer = async move {
        for w in ["x", "y", "z", "w"] {
            b_tx.send(w.to_string()).await.expect("tally reads b");
            a_tx.send(w.to_string()).await.expect("tally reads a");
        }
        drop(b_tx);
    };
    let (counts, ()) = timeout(FOREVER, async {
        tokio::join!(tally(vec![a_rx, b_rx]), producer)
    })
    .await
    .expect(
        "stuck: the producer alternates between the two sources, each with room for one \
         word, and closes source a only at the end. Reading source a to its end before \
         source b waits for ever: give each source a task of its own (spawn_local)",
    );
    assert_eq!(counts, words(&[("w", 2), ("x", 2), ("y", 2), ("z", 2)]));
}

#[tokio::test(start_paused = true)]
async fn t03_tally_runs_on_a_current_thread_runtime_and_keeps_its_state_local() {
    assert_eq!(
        Handle::current().runtime_flavor(),
        RuntimeFlavor::CurrentThread,
        "the test itself runs on a current-thread runtime"
    );
    let (tx, rx) = mpsc::channel(4);
    let feed = async move {
        for w in ["one", "two", "one"] {
            tx.send(w.to_string()).await.expect("tally reads");
            tokio::task::yield_now().await;
        }
    };
    let (counts, ()) = tokio::join!(tally(vec![rx]), feed);
    assert_eq!(
        counts,
        words(&[("one", 2), ("two", 1)]),
        "spawn_local needs a LocalSet around it (tally makes its own and runs it with \
         run_until or by awaiting it): the Rc<RefCell<..>> never leaves this thread, so \
         the state needs no Arc and no Mutex"
    );
}

#[test]
fn t04_lookup_blocking_from_a_plain_thread() {
    let runtime = Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let store = runtime.block_on(async { store() });
    let handle = runtime.handle().clone();
    let answers = std::thread::spawn(move || {
        (
            lookup_blocking(&handle, &store, "tokio"),
            lookup_blocking(&handle, &store, "go"),
        )
    })
    .join()
    .unwrap_or_else(|_| {
        panic!(
            "the lookup panicked on a plain thread. Store::get uses a tokio timer, which \
             needs the runtime's context: Handle::block_on enters it, \
             futures::executor::block_on does not"
        )
    });
    assert_eq!(
        answers,
        (Some("a runtime".to_string()), None),
        "a plain thread blocks on the async lookup with the runtime's Handle::block_on"
    );
    runtime.shutdown_timeout(Duration::from_secs(60));
}

#[tokio::test]
async fn t05_lookup_from_async_on_a_current_thread_runtime() {
    let found = tokio::spawn(lookup_from_async(store(), "rust".to_string()))
        .await
        .unwrap_or_else(|err| {
            panic!(
                "lookup_from_async panicked on a current-thread runtime ({err}). Calling \
                 lookup_blocking right here panics (\"Cannot start a runtime from within \
                 a runtime\"), and so does block_in_place (a current-thread runtime has \
                 no other worker to hand its tasks to): spawn_blocking runs the blocking \
                 call on a thread of its own"
            )
        });
    assert_eq!(found, Some("a language".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn t06_lookup_from_async_on_a_multi_thread_runtime() {
    let found = tokio::spawn(lookup_from_async(store(), "tokio".to_string()))
        .await
        .unwrap_or_else(|err| {
            panic!(
                "lookup_from_async panicked on a multi-thread runtime ({err}): a \
                 blocking call made on a worker thread must leave it first, with \
                 spawn_blocking (or block_in_place, on this flavour only)"
            )
        });
    assert_eq!(found, Some("a runtime".to_string()));
}

#[tokio::test]
async fn t07_a_panic_in_the_lookup_reaches_the_caller() {
    let got = tokio::spawn(lookup_from_async(store(), String::new())).await;
    let err = got.expect_err(
        "Store::get panics on an empty key, on the blocking thread: spawn_blocking hands \
         that panic over as a JoinError, and lookup_from_async must resume it \
         (std::panic::resume_unwind(err.into_panic())), not turn a bug into None",
    );
    assert!(
        err.is_panic(),
        "the lookup's task should have panicked, not been cancelled"
    );
    let message = err.into_panic();
    let message = message
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| message.downcast_ref::<String>().map(String::as_str))
        .unwrap_or_default();
    assert!(
        message.contains("empty key"),
        "the panic to resume is the lookup's own (\"empty key\"), got {message:?}"
    );
}

#[test]
fn t08_run_gives_main_a_current_thread_runtime_with_timers() {
    let output = run(
        async {
            tokio::time::sleep(Duration::ZERO).await;
            Handle::current().runtime_flavor()
        },
        Duration::from_secs(60),
    )
    .unwrap_or_else(|err| panic!("building the runtime failed: {err}"));
    assert_eq!(
        output,
        RuntimeFlavor::CurrentThread,
        "run builds a current-thread runtime (Builder::new_current_thread), with its \
         drivers enabled (enable_all: a timer panics without them), and returns main's \
         output"
    );
}

#[test]
fn t09_tasks_still_running_at_shutdown_are_dropped_at_their_await() {
    let dropped = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let (guard, done) = (DropGuard(Arc::clone(&dropped)), Arc::clone(&finished));
    run(
        async move {
            tokio::spawn(async move {
                let _guard = guard;
                std::future::pending::<()>().await;
                done.store(true, Ordering::SeqCst);
            });
            // Let the task start and reach its `.await`.
            tokio::task::yield_now().await;
        },
        Duration::from_secs(60),
    )
    .unwrap_or_else(|err| panic!("building the runtime failed: {err}"));
    assert!(
        dropped.load(Ordering::SeqCst),
        "main returned while a spawned task still waited: when run returns, the runtime \
         must be shut down, which drops such a task (its locals' destructors run). A \
         runtime that is leaked (mem::forget) keeps it for ever"
    );
    assert!(
        !finished.load(Ordering::SeqCst),
        "a task dropped at its .await never runs the code after it"
    );
}

#[test]
fn t10_a_stuck_blocking_job_does_not_hold_up_the_exit() {
    let (release, stuck) = std::sync::mpsc::channel::<()>();
    run(
        async move {
            let (started, running) = tokio::sync::oneshot::channel();
            let job = tokio::task::spawn_blocking(move || {
                let _ = started.send(());
                // Stuck until the test releases it, after run has returned.
                let _ = stuck.recv();
            });
            running.await.expect("the blocking job started");
            drop(job);
        },
        Duration::ZERO,
    )
    .unwrap_or_else(|err| panic!("building the runtime failed: {err}"));
    // Only reached if run returned while the job was still stuck: dropping a runtime
    // waits for its blocking jobs for ever, shutdown_timeout(grace) only for `grace`.
    let _ = release.send(());
}
