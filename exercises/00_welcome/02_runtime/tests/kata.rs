//! Wrong answers these tests reject:
//! - a multi-thread runtime (`new_multi_thread`, what `#[tokio::main]` picks) where a
//!   current-thread one was asked for (t01)
//! - a runtime whose clock is not paused: every sleep would take real time (t02)
//! - a runtime without timers (no `enable_time` / `enable_all`): `sleep` panics (t03)
//! - `run` that builds its own runtime instead of using `build_runtime`, so the clock
//!   runs in real time (t05)
//! - `run` on another executor (`futures::executor::block_on`): Tokio's timers panic (t05)
//! - `chores` that logs eagerly, before it is awaited (t06 checks the log is empty until
//!   `run` drives it)
//! - `chores` that creates the sleep but never awaits it (`let _ = sleep(nap);`) (t07)
//! - `chores` that never touches a Tokio timer, e.g. `std::thread::sleep` (t07, t08)

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
    let slept = catch_unwind(AssertUnwindSafe(|| {
        rt.block_on(async {
            assert_clock_paused().await;
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
        Err(payload) => panic!(
            "sleeping on build_runtime()'s runtime panicked: {}\n\
             Timers are opt-in on a hand-built runtime: call `.enable_time()` \
             (or `.enable_all()`) on the builder",
            panic_text(payload)
        ),
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
    let elapsed = run(async {
        assert_clock_paused().await;
        let start = Instant::now();
        chores(log.clone(), Duration::from_secs(5)).await;
        start.elapsed()
    });
    assert_eq!(
        elapsed,
        Duration::from_secs(5),
        "chores(log, 5s) should take exactly 5s of virtual time: await tokio::time::sleep(nap) \
         (a sleep future that is never awaited never sleeps; std::thread::sleep is not a Tokio timer)"
    );
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
