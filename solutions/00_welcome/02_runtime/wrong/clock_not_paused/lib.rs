//! Wrong: the runtime is built without `.start_paused(true)`: the clock runs in real time.

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
