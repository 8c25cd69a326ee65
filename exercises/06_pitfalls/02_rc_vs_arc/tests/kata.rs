//! Wrong answers these tests reject:
//! - keeping `Rc<Cell<usize>>` and moving a clone into the task: `tokio::spawn` refuses
//!   the future (`Rc` is not `Send`), so nothing compiles; keeping it out of the task
//!   means nothing ever decrements (t02)
//! - `F: Future` without `Send + 'static` (and `F::Output: Send + 'static`): does not
//!   compile, `tokio::spawn` needs them
//! - `tokio::task::spawn_local` to get rid of the `Send` bound: it panics outside a
//!   `LocalSet`, and these tests run on a plain runtime (t01-t05)
//! - counting inside the spawned task instead of in `spawn`: the count is 0 until the
//!   task first runs (t02); a task aborted before it runs then underflows it (t05)
//! - decrementing after `job.await`: a panicking job (t03) or an aborted one (t04, t05)
//!   is counted forever
//! - a drop guard created inside the task's body: a task aborted before its first poll
//!   never creates it (t05)
//!
//! tests/kata_send.rs rejects a `Tracker` that cannot move to another thread.

use rc_vs_arc::Tracker;
use tokio::time::{Duration, sleep};

#[tokio::test(start_paused = true)]
async fn t01_a_spawned_job_gives_back_its_output() {
    let tracker = Tracker::new();
    let answer = tracker.spawn(async { 6 * 7 }).await;
    assert_eq!(
        answer.expect("the job's task failed"),
        42,
        "awaiting the JoinHandle gives the job's output"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_a_job_counts_from_spawn_until_it_ends() {
    let tracker = Tracker::new();
    let short = tracker.spawn(sleep(Duration::from_millis(10)));
    let long = tracker.spawn(sleep(Duration::from_millis(20)));
    assert_eq!(
        tracker.running(),
        2,
        "right after spawn() returns, before either task has run, both jobs count as \
         running: count in spawn itself, not in the task"
    );
    short.await.expect("the short job's task failed");
    assert_eq!(
        tracker.running(),
        1,
        "the 10 ms job ended, the 20 ms one runs on"
    );
    long.await.expect("the long job's task failed");
    assert_eq!(tracker.running(), 0, "both jobs ended, none is running");
}

#[tokio::test(start_paused = true)]
async fn t03_a_panicking_job_stops_counting() {
    let tracker = Tracker::new();
    let result = tracker
        .spawn(async {
            sleep(Duration::from_millis(1)).await;
            panic!("this job fails on purpose");
        })
        .await;
    assert!(
        result.is_err_and(|error| error.is_panic()),
        "a panic in a job stays in its task and comes back as a JoinError"
    );
    assert_eq!(
        tracker.running(),
        0,
        "the job panicked, so the code after its `.await` never ran, yet it must stop \
         counting: release the count in a Drop impl, which unwinding runs"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_an_aborted_job_stops_counting() {
    let tracker = Tracker::new();
    let handle = tracker.spawn(sleep(Duration::from_secs(3600)));
    sleep(Duration::from_millis(1)).await; // the job is now waiting inside its sleep
    handle.abort();
    let result = handle.await;
    assert!(
        result.is_err_and(|error| error.is_cancelled()),
        "an aborted job's handle reports a cancelled task"
    );
    assert_eq!(
        tracker.running(),
        0,
        "abort() drops the task's future at its current `.await`: nothing after it runs, \
         only destructors do, so the count must be released by one"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_job_aborted_before_it_starts_stops_counting() {
    let tracker = Tracker::new();
    let handle = tracker.spawn(async { 1 });
    handle.abort(); // the task has not been polled once yet
    let result = handle.await;
    assert!(
        result.is_err_and(|error| error.is_cancelled()),
        "a task aborted before it ever ran reports a cancelled task"
    );
    assert_eq!(
        tracker.running(),
        0,
        "the task was dropped before its first poll, so not one line of its body ran: \
         the guard that releases the count must be created in spawn() and moved into \
         the task, not created inside it"
    );
}
