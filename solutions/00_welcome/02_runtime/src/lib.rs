//! Open the box behind `#[tokio::main]`: read README.md beside this folder, then make
//! the tests pass.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};

/// A shared, append-only record of what happened, in order.
pub type Log = Arc<Mutex<Vec<&'static str>>>;

/// Builds by hand the runtime `#[tokio::test(start_paused = true)]` builds for you:
/// one thread, timers enabled, the clock paused so sleeps take no real time.
pub fn build_runtime() -> Runtime {
    Builder::new_current_thread()
        // Without the time driver, the first `sleep` panics: timers are opt-in.
        .enable_time()
        // Virtual time: when the runtime has no work to do, the clock jumps to the next timer.
        .start_paused(true)
        .build()
        .expect("a current-thread runtime with timers always builds")
}

/// What `#[tokio::main]` does with the body of `main`: runs `body` to completion on a
/// runtime from `build_runtime` and returns its output.
pub fn run<F: Future>(body: F) -> F::Output {
    build_runtime().block_on(body)
}

/// Writes "started" to the log, sleeps for `nap` on a Tokio timer, then writes
/// "finished".
pub async fn chores(log: Log, nap: Duration) {
    log.lock().unwrap().push("started");
    tokio::time::sleep(nap).await;
    log.lock().unwrap().push("finished");
}
