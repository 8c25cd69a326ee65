//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `multi_thread_runtime` (t01, t02, t03, t04, t05, t06, t07): `new_multi_thread()`, what `#[tokio::main]` picks; with `start_paused` it does not even build
//! - `clock_not_paused` (t02, t03, t05, t07): no `.start_paused(true)`: sleeps take real time
//! - `timers_not_enabled` (t03, t05, t06, t07): no `.enable_time()`: `sleep` panics
//! - `run_builds_its_own_runtime` (t05, t07): `run` on `Runtime::new()`, not on `build_runtime()`: a multi-thread runtime with a real clock
//! - `run_on_futures_executor` (t05, t06, t07): `run` on `futures::executor::block_on`: Tokio's timers panic
//! - `logs_when_called` (t06): `chores` logs "started" when called, before it is polled
//! - `sleep_not_awaited` (t07): `let _ = sleep(nap);`: the nap never happens
//! - `finished_before_the_nap` (t07, t08): "finished" is logged before the nap, not after
//! - `blocking_sleep` (t07, t08): `std::thread::sleep(nap)`, no Tokio timer: it blocks the thread in real time and leaves the virtual clock where it was
//!
//! Blind answers: 6 tried, 0 passed (2026-12). One of them holds the log's
//! `std::sync::MutexGuard` across the nap: t07's other future then blocks the only
//! thread on that lock, a hang the runner's time limit ends.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use runtime::{Log, build_runtime, chores, run};
use tokio::runtime::RuntimeFlavor;
use tokio::time::{Instant, sleep};

const HOUR: Duration = Duration::from_secs(3600);

/// The text of a caught panic. A `todo!()` is passed on as it is: it is no lesson.
fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    if text.starts_with("not yet implemented") {
        std::panic::resume_unwind(payload);
    }
    text
}

/// Checks, from inside a runtime, that its clock is paused: `advance` panics otherwise.
/// Each test calls it before sleeping, so a real clock fails fast instead of sleeping
/// for an hour.
async fn assert_clock_paused() {
    let advanced = AssertUnwindSafe(tokio::time::advance(Duration::ZERO))
        .catch_unwind()
        .await;
    if let Err(payload) = advanced {
        panic!(
            "the runtime's clock is not paused ({}): every sleep would take real time. \
             Call `.start_paused(true)` on the builder, as `#[tokio::test(start_paused = true)]` does",
            panic_text(payload)
        );
    }
}

fn new_log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

#[test]
fn t01_build_runtime_is_current_thread() {
    let rt = build_runtime();
    assert_eq!(
        rt.handle().runtime_flavor(),
        RuntimeFlavor::CurrentThread,
        "build_runtime must run every task on the one thread that calls block_on: \
         use Builder::new_current_thread(), not new_multi_thread() (the default of #[tokio::main])"
    );
}

#[test]
fn t02_build_runtime_starts_with_the_clock_paused() {
    build_runtime().block_on(assert_clock_paused());
}

#[test]
fn t03_build_runtime_has_timers_enabled() {
    let rt = build_runtime();
    // t02's check first, outside the catch: a clock that is not paused is another
    // mistake, with its own message.
    rt.block_on(assert_clock_paused());
    let slept = catch_unwind(AssertUnwindSafe(|| {
        rt.block_on(async {
            let start = Instant::now();
            sleep(HOUR).await;
            start.elapsed()
        })
    }));
    match slept {
        Ok(elapsed) => assert_eq!(
            elapsed, HOUR,
            "sleep(1h) on a paused clock should take exactly 1h of virtual time"
        ),
        Err(payload) => {
            let text = panic_text(payload);
            if text.contains("timers are disabled") {
                panic!(
                    "sleeping on build_runtime()'s runtime panicked: {text}\n\
                     Timers are opt-in on a hand-built runtime: call `.enable_time()` \
                     (or `.enable_all()`) on the builder"
                )
            }
            panic!(
                "sleep(1h) on build_runtime()'s runtime should take 1h of virtual time, but it panicked: {text}"
            )
        }
    }
}

#[test]
fn t04_run_returns_what_the_body_returns() {
    assert_eq!(
        run(async { 6 * 7 }),
        42,
        "run(body) must drive the body to completion and hand back its output, \
         as block_on does"
    );
}

#[test]
fn t05_run_drives_tokio_timers_on_build_runtime() {
    let slept = catch_unwind(|| {
        run(async {
            assert_clock_paused().await;
            let start = Instant::now();
            sleep(HOUR).await;
            start.elapsed()
        })
    });
    match slept {
        Ok(elapsed) => assert_eq!(elapsed, HOUR, "sleep(1h) should take 1h of virtual time"),
        Err(payload) => panic!(
            "a Tokio sleep inside run(..) panicked: {}\n\
             run must block_on the runtime that build_runtime() builds: only a Tokio \
             runtime (with timers and a paused clock) can drive Tokio's timers here",
            panic_text(payload)
        ),
    }
}

#[test]
fn t06_chores_do_nothing_until_run_drives_them() {
    let log = new_log();
    let future = chores(log.clone(), Duration::from_secs(1));
    assert!(
        log.lock().unwrap().is_empty(),
        "calling chores(..) already wrote to the log: an async fn only builds a future, \
         the work must wait until someone drives it"
    );
    run(future);
    assert_eq!(
        *log.lock().unwrap(),
        ["started", "finished"],
        "once run drives the future, chores logs \"started\", naps, then logs \"finished\""
    );
}

#[test]
fn t07_chores_nap_on_a_tokio_timer() {
    let log = new_log();
    let (elapsed, during_the_nap) = run(async {
        assert_clock_paused().await;
        let start = Instant::now();
        // One task, two futures: chores naps 2s; the other looks at the log 1s in.
        let ((), during_the_nap) =
            tokio::join!(chores(log.clone(), Duration::from_secs(2)), async {
                sleep(Duration::from_secs(1)).await;
                log.lock().unwrap().clone()
            });
        (start.elapsed(), during_the_nap)
    });
    assert_eq!(
        elapsed,
        Duration::from_secs(2),
        "chores(log, 2s) should take exactly 2s of virtual time: await tokio::time::sleep(nap) \
         (a sleep future that is never awaited never sleeps; std::thread::sleep is not a Tokio \
         timer: it blocks the thread in real time and the virtual clock stands still)"
    );
    assert_eq!(
        during_the_nap,
        ["started"],
        "1s into its 2s nap, chores should have logged only \"started\": \"finished\" comes \
         after the nap"
    );
    assert_eq!(*log.lock().unwrap(), ["started", "finished"]);
}

#[test]
fn t08_a_tokio_timer_needs_a_tokio_runtime() {
    // Another executor polls the future: it runs up to its first Tokio timer, which
    // finds no Tokio runtime to register with, and panics.
    let log = new_log();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        futures::executor::block_on(chores(log.clone(), Duration::from_secs(1)))
    }));
    let message = match outcome {
        Ok(()) => panic!(
            "chores finished without a Tokio runtime: its nap must be a Tokio timer \
             (tokio::time::sleep), which only a Tokio runtime can drive"
        ),
        Err(payload) => panic_text(payload),
    };
    assert!(
        message.contains("Tokio 1.x runtime"),
        "polled outside Tokio, chores should panic because its Tokio sleep has no runtime, \
         but it panicked with: {message}"
    );
    assert_eq!(
        *log.lock().unwrap(),
        ["started"],
        "the other executor did poll chores: it should have logged \"started\" before \
         reaching the sleep"
    );
}
