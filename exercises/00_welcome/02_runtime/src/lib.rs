//! Open the box behind `#[tokio::main]`: read README.md beside this folder, then make
//! the tests pass.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::runtime::Runtime;

/// A shared, append-only record of what happened, in order.
pub type Log = Arc<Mutex<Vec<&'static str>>>;

/// Builds by hand the runtime `#[tokio::test(start_paused = true)]` builds for you:
/// one thread, timers enabled, the clock paused so sleeps take no real time.
pub fn build_runtime() -> Runtime {
    todo!("use tokio::runtime::Builder")
}

/// What `#[tokio::main]` does with the body of `main`: runs `body` to completion on a
/// runtime from `build_runtime` and returns its output.
pub fn run<F: Future>(body: F) -> F::Output {
    drop(body);
    todo!("block_on the body on a runtime from build_runtime()")
}

/// Writes "started" to the log, sleeps for `nap` on a Tokio timer, then writes
/// "finished".
pub async fn chores(log: Log, nap: Duration) {
    let _ = log;
    todo!("log \"started\", sleep {nap:?} on a Tokio timer, log \"finished\"")
}
