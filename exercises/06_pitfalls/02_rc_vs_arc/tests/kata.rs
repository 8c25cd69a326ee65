//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `counts_inside_task` (t02): the count is taken inside the spawned task, so it is 0 until the task first runs
//! - `decrements_after_await` (t03, t04, t05): the count is released after `job.await`, which a panic or an abort never reaches
//! - `guard_created_inside_task` (t05): the drop guard is created inside the task, so a task aborted before its first poll keeps counting
//! - `guard_not_moved_into_task` (t02): the drop guard is created in `spawn` but not moved into the task, so it is dropped when `spawn` returns
//! - `spawn_local_keeps_rc` (t01): `Rc<Cell<usize>>` kept and `spawn_local` used to avoid `Send`: it panics outside a `LocalSet`
//!
//! Blind answers: 5 tried, 0 passed before this test file (2026-12). The lesson now says when an aborted job stops counting: when the runtime drops its
//! future, not at `abort()` itself.
//!
//! Not fixtures, because they do not compile: `F: Future` without `Send + 'static`
//! (`tokio::spawn` needs them), and an `Rc` clone moved into the task (`tokio::spawn`
//! refuses a future that holds it). tests/kata_send.rs rejects a `Tracker` that cannot
//! move to another thread.

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
    let right_after_spawn = tracker.running();
    if right_after_spawn != 2 {
        // Why: let both tasks start, and look again.
        for _ in 0..3 {
            tokio::task::yield_now().await;
        }
        let once_started = tracker.running();
        let why = match once_started {
            2 => {
                "the count rose only once the tasks had started: it is taken inside the \
                 task, so a job the runtime has not polled yet does not count. Count in \
                 spawn itself"
            }
            0 => {
                "if spawn counts the job, whatever releases the count (a drop guard?) is \
                 dropped when spawn returns, long before the task ends: move it into the \
                 task's future, so it lives exactly as long as the task"
            }
            _ => "each spawn adds exactly one to the count, and only the task's end takes it away",
        };
        panic!(
            "right after spawn() returned twice, before either task had run, running() \
             was {right_after_spawn}, not 2 (and {once_started} once the tasks had \
             started): {why}"
        );
    }
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

#[tokio::test(start_paused = true)]
async fn t07_the_count_follows_every_job_at_every_instant() {
    // Jobs that finish, panic, or are aborted at every instant that matters: before
    // their first poll, while waiting, after the others ended, after they ended. The
    // count is looked at every 10 ms, 5 ms off the jobs' own instants (no ties), each
    // time after the runtime has had its turn.
    for abort_at in [None, Some(0), Some(45), Some(95), Some(195), Some(395)] {
        let tracker = Tracker::new();
        let finisher = tracker.spawn(sleep(Duration::from_millis(100)));
        let panicker = tracker.spawn(async {
            sleep(Duration::from_millis(100)).await;
            panic!("a job that panics at 100 ms (on purpose)");
        });
        let long = tracker.spawn(sleep(Duration::from_millis(300)));
        if abort_at == Some(0) {
            long.abort(); // before any of the jobs was polled
        }
        sleep(Duration::from_millis(5)).await;
        for at in (5..500).step_by(10) {
            // The long job ends at 300 ms, or at the abort (made just after a look).
            let long_runs = at < 300 && abort_at.is_none_or(|abort| at <= abort);
            let expected = usize::from(at < 100) * 2 + usize::from(long_runs);
            assert_eq!(
                tracker.running(),
                expected,
                "at {at} ms (jobs of 100 ms, one of which panics, and one of 300 ms{}), \
                 {expected} job(s) have not ended: a job counts from spawn until its task \
                 ends, however it ends, and no longer",
                abort_at.map_or(String::new(), |a| format!(" aborted at {a} ms"))
            );
            if abort_at == Some(at) {
                long.abort();
            }
            sleep(Duration::from_millis(10)).await;
        }
        assert!(finisher.await.is_ok());
        assert!(panicker.await.is_err_and(|e| e.is_panic()));
        let _ = long.await;
        assert_eq!(tracker.running(), 0, "every job has ended");
    }
}
