//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `spawn_local_without_a_local_set` (t01, t02, t03, t04): `tokio::task::spawn_local` with no `LocalSet` around it
//! - `tasks_not_waited_for` (t01, t02, t03, t04): runs the `LocalSet` until the tasks are spawned, not until they finish
//! - `sources_one_after_another` (t02, t04): reads the sources one after the other, in one task
//! - `borrow_held_across_await` (t02, t04): each task takes `borrow_mut()` once and holds it across `recv().await`
//! - `futures_block_on` (t05, t06): `futures::executor::block_on` on the plain thread, outside the runtime's context
//! - `lookup_blocking_enter_then_futures_block_on` (t06): enters the runtime's context, then `futures::executor::block_on`: from async code it blocks the thread instead of refusing
//! - `bridge_called_directly` (t07, t08): calls `lookup_blocking` right on the runtime thread
//! - `block_in_place_everywhere` (t07): `block_in_place` on every flavour, which panics on a current-thread runtime
//! - `lookup_panic_becomes_none` (t09): `spawn_blocking(..).await.ok().flatten()`, a panic of the lookup read as "not found"
//! - `lookup_from_async_expect_join` (t09, t10): `.expect(..)` on the `JoinHandle`: a new panic instead of the lookup's, and a panic for a lookup that never ran
//! - `multi_thread_runtime` (t11): `Runtime::new()`, a multi-thread runtime
//! - `no_drivers_enabled` (t11): a current-thread runtime built without `enable_all`, so timers panic
//! - `runtime_leaked` (t12, t14): `mem::forget`s the runtime after `block_on`, so it never shuts down
//! - `runtime_dropped` (t13): drops the runtime at the end of `run`, which waits for blocking jobs for ever (the runner's time limit stops it)
//! - `run_shutdown_background` (t14): `shutdown_background()`, a grace of zero: a blocking job is not given its grace
//!
//! Blind answers: 8 tried, 3 passed before this test file caught them (2026-12):
//! `lookup_blocking_enter_then_futures_block_on` (no refusal from async code: t06 calls
//! it from a task, with a store on another runtime so that nothing hangs),
//! `lookup_from_async_expect_join` (the panic's message still held "empty key", and no
//! test had a lookup that never ran: t09 now wants the payload itself, and t10 runs the
//! lookup after its runtime's shutdown, polled from a plain thread inside its context)
//! and `run_shutdown_background` (no test had a blocking job that would finish within
//! the grace: t14 releases one once `run`'s thread is seen asleep in the shutdown, with
//! the fault kit's `Sleeper`). t04 runs `tally` on both flavours over any number of
//! sources and channel sizes, with words as they are (case, spaces, empty).
//!
//! No verdict depends on thread timing: the plain threads here only wait for answers
//! (joined; the given store's own 60 s timer is past the runner's 10 s limit, so it
//! never decides one), and the shutdown tests look at flags after the call that must
//! have set them has returned.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use runtime_flavours::{Store, lookup_blocking, lookup_from_async, run, tally};
use timeline::faults::threads::Sleeper;
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

/// Feeds `words` (source, word) to `sources` channels of `capacity`, one after the other
/// with a pause of `pause` ms before each, closing each source after its last word; runs
/// `tally` beside the feeding and returns its counts.
async fn tally_fed(
    sources: usize,
    capacity: usize,
    words: &[(usize, String, u64)],
) -> BTreeMap<String, usize> {
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..sources)
        .map(|_| mpsc::channel::<String>(capacity))
        .unzip();
    let feed = async move {
        let mut senders: Vec<Option<mpsc::Sender<String>>> =
            senders.into_iter().map(Some).collect();
        for (n, (source, word, pause)) in words.iter().enumerate() {
            if *pause > 0 {
                tokio::time::sleep(Duration::from_millis(*pause)).await;
            }
            let sender = senders[*source].as_ref().expect("open until its last word");
            sender
                .send(word.clone())
                .await
                .expect("tally reads every source");
            if !words[n + 1..].iter().any(|(later, _, _)| later == source) {
                senders[*source] = None;
            }
        }
    };
    let (counts, ()) = tokio::join!(tally(receivers), feed);
    counts
}

#[test]
fn t04_tally_any_sources_any_words_on_either_flavour() {
    use proptest::prelude::*;

    let paused = Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a runtime");
    let multi = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    // Words as they are: a message is one word, case and spaces kept.
    let word = prop_oneof![
        Just("to".to_string()),
        Just("To".to_string()),
        Just("to be".to_string()),
        Just(String::new()),
        "[a-c]{1,2}",
    ];
    let case = (1usize..5, 1usize..4).prop_flat_map(move |(sources, capacity)| {
        (
            Just(sources),
            Just(capacity),
            proptest::collection::vec(
                (0..sources, word.clone(), prop_oneof![Just(0u64), 0u64..5]),
                0..24,
            ),
        )
    });
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 150,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1104),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })
    .run(&case, |(sources, capacity, words)| {
        let mut expected = BTreeMap::new();
        for (_, word, _) in &words {
            *expected.entry(word.clone()).or_insert(0) += 1;
        }
        // The multi-thread runtime's clock is real: its feeding does not pause.
        let unpaused: Vec<_> = words.iter().map(|(s, w, _)| (*s, w.clone(), 0)).collect();
        for (flavour, runtime, words) in [
            ("current-thread", &paused, &words),
            ("multi-thread", &multi, &unpaused),
        ] {
            let counts = runtime
                .block_on(async { timeout(FOREVER, tally_fed(sources, capacity, words)).await })
                .map_err(|_| {
                    TestCaseError::fail(format!(
                        "on a {flavour} runtime, {sources} sources with room for {capacity} \
                         word(s) each, fed {words:?} (source, word, pause in ms) in that \
                         order: tally never returned. Each source needs a task of its own, \
                         and no borrow of the map may be held across an `.await`"
                    ))
                })?;
            if counts != expected {
                return Err(TestCaseError::fail(format!(
                    "on a {flavour} runtime, {sources} sources fed {words:?} (source, word, \
                     pause in ms): each message is one word, counted as it is (case and \
                     spaces kept), once; expected {expected:?}, got {counts:?}"
                )));
            }
        }
        Ok(())
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
    multi.shutdown_timeout(Duration::from_secs(60));
}

#[test]
fn t05_lookup_blocking_from_a_plain_thread() {
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
async fn t06_lookup_blocking_refuses_to_block_async_code() {
    // The store lives on a runtime of its own, so that a thread blocked here could not
    // stop it from answering: only the refusal is checked.
    let other = Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let store = {
        let _other = other.enter();
        store()
    };
    let handle = other.handle().clone();
    // From a plain thread, the lookup works.
    let found = std::thread::scope(|scope| {
        scope
            .spawn(|| lookup_blocking(&handle, &store, "rust"))
            .join()
            .unwrap_or_else(|_| panic!("lookup_blocking panicked on a plain thread"))
    });
    assert_eq!(found, Some("a language".to_string()), "from a plain thread");
    let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lookup_blocking(&handle, &store, "rust")
    }));
    other.shutdown_background();
    assert!(
        refused.is_err(),
        "lookup_blocking was called from async code (a task of this test's runtime) and \
         blocked its thread until it got {:?}: it must panic there, as Handle::block_on \
         does (\"Cannot start a runtime from within a runtime\"). Blocking a runtime's \
         thread in silence stops every task of that thread, and on a current-thread \
         runtime the lookup itself: entering the handle and blocking with \
         futures::executor::block_on does not refuse",
        refused.ok().flatten()
    );
}

#[tokio::test]
async fn t07_lookup_from_async_on_a_current_thread_runtime() {
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
async fn t08_lookup_from_async_on_a_multi_thread_runtime() {
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
async fn t09_a_panic_in_the_lookup_reaches_the_caller() {
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
    assert_eq!(
        message, "empty key: a store has no such entry",
        "the panic to resume is the lookup's own, as it is (`resume_unwind(err.into_panic())`), \
         not a new panic about the JoinError (`expect`, `unwrap`)"
    );
}

#[test]
fn t10_a_lookup_that_never_ran_is_none() {
    let runtime = Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let store = runtime.block_on(async { store() });
    let handle = runtime.handle().clone();
    runtime.shutdown_background();
    // The runtime is shut down: its blocking pool runs nothing more, and a blocking job
    // given to it now is cancelled before it starts.
    let _context = handle.enter();
    let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        futures::executor::block_on(lookup_from_async(store, "rust".to_string()))
    }));
    assert!(
        matches!(got, Ok(None)),
        "the runtime had shut down, so the blocking lookup never ran: spawn_blocking's \
         JoinError then says it was cancelled (`is_cancelled()`), not that it panicked, and \
         lookup_from_async answers None; only a panic is resumed. It {}",
        match &got {
            Ok(value) => format!("answered {value:?}"),
            Err(_) => "panicked".to_string(),
        }
    );
}

#[test]
fn t11_run_gives_main_a_current_thread_runtime_with_timers() {
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
fn t12_tasks_still_running_at_shutdown_are_dropped_at_their_await() {
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
fn t13_a_stuck_blocking_job_does_not_hold_up_the_exit() {
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

#[test]
fn t14_a_blocking_job_gets_its_grace() {
    let finished = Arc::new(AtomicBool::new(false));
    let returned = Arc::new(AtomicBool::new(false));
    let (release, stuck) = std::sync::mpsc::channel::<()>();
    let (main_done, main_ended) = std::sync::mpsc::channel::<()>();
    let runner = Sleeper::current();
    // Lets the job go once `run` is waiting for it (its thread asleep in the shutdown),
    // or once `run` has returned without waiting.
    let releaser = std::thread::spawn({
        let returned = Arc::clone(&returned);
        move || {
            main_ended.recv().expect("main ends");
            runner.wait(|| returned.load(Ordering::SeqCst));
            let _ = release.send(());
        }
    });
    let done = Arc::clone(&finished);
    run(
        async move {
            let (started, running) = tokio::sync::oneshot::channel();
            drop(tokio::task::spawn_blocking(move || {
                let _ = started.send(());
                let _ = stuck.recv();
                done.store(true, Ordering::SeqCst);
            }));
            running.await.expect("the blocking job started");
            main_done.send(()).expect("the releaser is there");
        },
        Duration::from_secs(60),
    )
    .unwrap_or_else(|err| panic!("building the runtime failed: {err}"));
    let finished_in_time = finished.load(Ordering::SeqCst);
    returned.store(true, Ordering::SeqCst);
    releaser.join().expect("the releaser thread");
    assert!(
        finished_in_time,
        "main left a blocking job running, one that finishes as soon as run waits for it; \
         run was given a grace of 60 s, so it must wait for the job (up to 60 s: \
         Runtime::shutdown_timeout(grace)) and return once it is done. It returned first: \
         shutdown_background() is a grace of zero"
    );
}
