//! Spawning tasks: a task is a panic boundary, a `JoinError` is a panic or a
//! cancellation, a `JoinSet` yields in completion order, a handle can abort on drop.
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `awaits_the_job_in_place` (t02, t03, t05): the job awaited on the caller's task, not spawned
//! - `unwraps_the_join_handle` (t03, t04, t05): the JoinHandle's result unwrapped: the caller panics
//! - `only_string_payloads` (t04): a `&'static str` payload (`panic!("literal")`) is lost
//! - `into_panic_on_every_error` (t05): `into_panic()` on a cancelled JoinError panics
//! - `cancelled_reported_as_a_panic` (t05): a cancellation reported as `JobError::Panicked`
//! - `handles_awaited_in_spawn_order` (t06): every job spawned, handles awaited in the order given
//! - `jobs_spawned_and_awaited_one_by_one` (t06, t07): spawn, await, spawn the next: sequential
//! - `join_set_results_unwrapped` (t08, t09): `join_next` results unwrapped: a new panic, not the job's
//! - `cancelled_job_unreachable` (t09): a cancelled JoinError called `unreachable!`
//! - `drop_does_nothing` (t10): `AbortOnDrop::drop` left empty: the task is detached, runs on
//! - `join_aborts_first` (t11): `join` aborts the task before awaiting it
//! - `join_detaches_task` (t12): `join` takes the handle out of the `AbortOnDrop`: its future, dropped part-way, detaches the task
//!
//! Blind answers: 9 tried, 1 passed before this test file caught it (2026-12):
//! `join_detaches_task`; the lesson now says that dropping `join()`'s future aborts the
//! task, and t12 drops it under a timeout. (t08 compares the job's panic payload
//! itself, not its text, so an `unwrap`-wrapped panic that quotes it does not pass.)

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use spawning::{JobError, in_completion_order, run_isolated, spawn_abort_on_drop};
use timeline::Timeline;
use tokio::time::{Instant, sleep};
use tokio_test::{assert_pending, assert_ready};

/// Sets its flag when dropped, however the future holding it ends.
struct DropGuard(Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test(start_paused = true)]
async fn t01_a_job_gives_back_its_value() {
    let got = run_isolated(async {
        sleep(ms(500)).await;
        42
    })
    .await;
    assert_eq!(
        got,
        Ok(42),
        "a job that returns 42 should come back as Ok(42)"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_a_job_runs_on_a_task_of_its_own() {
    // The caller must itself be a task to have an id: the test body is not one.
    let (caller, job) = tokio::spawn(async {
        let caller = tokio::task::id();
        let job = run_isolated(async { tokio::task::id() }).await;
        (caller, job)
    })
    .await
    .expect("the caller task should not fail");
    let job = job.expect("the job does not panic");
    assert_ne!(
        caller, job,
        "the job ran on the caller's task (id {caller}): `run_isolated` should hand the \
         job to `tokio::spawn`, which makes it a new task, not `.await` it in place"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_a_panicking_job_is_reported_and_the_caller_carries_on() {
    let caller = tokio::spawn(async {
        let outcome = run_isolated(async {
            sleep(ms(10)).await;
            panic!("disk on fire");
        })
        .await;
        // Still here: the caller keeps working after its job failed.
        (outcome, "caller finished")
    })
    .await;
    match caller {
        Ok((outcome, _)) => assert!(
            outcome.is_err(),
            "a job that panics should come back as Err(JobError::Panicked(..)), got {outcome:?}"
        ),
        Err(err) if err.is_panic() => {
            let payload = err.into_panic();
            let text = payload
                .downcast_ref::<&str>()
                .copied()
                .or(payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("<non-text panic>");
            if text == "disk on fire" {
                panic!(
                    "the job's panic unwound the caller too. A spawned task's panic is \
                     caught by the runtime and stored in its JoinHandle as a JoinError \
                     (is_panic() == true): spawn the job instead of awaiting it in place, \
                     and map that error instead of unwrapping it"
                )
            }
            panic!("the caller panicked before its job could: {text}")
        }
        Err(err) => panic!("the caller task failed unexpectedly: {err}"),
    }
}

#[tokio::test(start_paused = true)]
async fn t04_the_report_carries_the_panic_message() {
    let formatted = run_isolated(async {
        let disk = 7;
        panic!("disk {disk} on fire");
    })
    .await;
    assert_eq!(
        formatted,
        Err(JobError::Panicked("disk 7 on fire".to_string())),
        "`panic!(\"disk {{disk}} on fire\")` carries a String payload: \
         JoinError::try_into_panic gives it, downcast it to String"
    );
    let literal = run_isolated(async { panic!("out of paper") }).await;
    assert_eq!(
        literal,
        Err(JobError::Panicked("out of paper".to_string())),
        "`panic!(\"out of paper\")` carries a &'static str payload, not a String: \
         try both downcasts"
    );
}

/// A current-thread runtime that the test never drives: a task spawned on it does not
/// run until the runtime is dropped, which cancels it.
fn idle_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}

/// Polls `task` once more, after its runtime shut down, and turns a panic in that poll
/// into a failure that says what it means.
fn poll_after_shutdown<T>(task: &mut tokio_test::task::Spawn<impl Future<Output = T>>) -> Poll<T> {
    std::panic::catch_unwind(AssertUnwindSafe(|| task.poll())).unwrap_or_else(|_| {
        panic!(
            "a job's task was cancelled (its runtime shut down), and your code panicked on \
             the JoinError (see the panic above): a JoinError is a panic *or* a \
             cancellation; check err.is_panic() (or is_cancelled()) before into_panic, and \
             never unwrap it"
        )
    })
}

#[test]
fn t05_a_job_cancelled_before_it_finished_is_reported() {
    let runtime = idle_runtime();
    let mut caller = {
        let _inside = runtime.enter();
        let mut caller = tokio_test::task::spawn(run_isolated(async { 42 }));
        assert_pending!(
            caller.poll(),
            "run_isolated should spawn the job and wait for its JoinHandle; it finished in \
             its first poll, on a runtime that never ran the job: the job was awaited in \
             place instead of spawned"
        );
        caller
    };
    // Shutting the runtime down drops its unfinished tasks: the job is cancelled, and its
    // JoinHandle completes with a JoinError for which is_cancelled() is true.
    drop(runtime);
    let outcome = assert_ready!(
        poll_after_shutdown(&mut caller),
        "the job's task was cancelled, so its JoinHandle is ready: run_isolated should be too"
    );
    assert_eq!(
        outcome,
        Err(JobError::Cancelled),
        "the job's task was dropped unfinished (its runtime shut down): a JoinError that is \
         not a panic is a cancellation, and should come back as JobError::Cancelled"
    );
}

/// A job that finishes after `delay` and returns `name`, recorded on `timeline`.
fn job(
    timeline: &Timeline,
    name: &'static str,
    delay: Duration,
) -> impl Future<Output = &'static str> + Send + 'static {
    let timeline = timeline.clone();
    async move {
        timeline.run(name, sleep(delay)).await;
        name
    }
}

#[tokio::test(start_paused = true)]
async fn t06_a_join_set_yields_results_in_completion_order() {
    let timeline = Timeline::new();
    timeline.expect(
        "fast ends at 100 ms, medium at 200 ms, slow at 300 ms: that is the order to return",
    );
    let got = in_completion_order([
        job(&timeline, "slow", ms(300)),
        job(&timeline, "fast", ms(100)),
        job(&timeline, "medium", ms(200)),
    ])
    .await;
    assert_eq!(
        got,
        ["fast", "medium", "slow"],
        "results should come in the order the jobs finished (fast at 100 ms, medium at \
         200 ms, slow at 300 ms), not the order they were given: JoinSet::join_next \
         yields whichever task completes next\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t07_the_jobs_of_a_join_set_run_at_the_same_time() {
    let timeline = Timeline::new();
    timeline.expect("concurrent would take 300 ms: a, b and c side by side");
    let start = Instant::now();
    in_completion_order([
        job(&timeline, "a", ms(300)),
        job(&timeline, "b", ms(300)),
        job(&timeline, "c", ms(300)),
    ])
    .await;
    let took = start.elapsed();
    assert_eq!(
        took,
        ms(300),
        "three 300 ms jobs, each on its own task, should all be done after 300 ms of \
         virtual time; it took {took:?}, so they ran one after the other\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_a_panicking_job_panics_the_collector_with_its_own_panic() {
    let timeline = Timeline::new();
    let jobs = [("fine", ms(100), false), ("broken", ms(200), true)].map(|(name, delay, fails)| {
        let work = job(&timeline, name, delay);
        async move {
            let name = work.await;
            if fails {
                panic!("job broken failed");
            }
            name
        }
    });
    let collector = tokio::spawn(in_completion_order(jobs)).await;
    match collector {
        Ok(outputs) => panic!(
            "a job panicked, yet in_completion_order returned {outputs:?}: a JoinError from \
             join_next must not be dropped"
        ),
        Err(err) => {
            let payload = err.into_panic();
            let own = payload.downcast_ref::<&str>() == Some(&"job broken failed");
            assert!(
                own,
                "in_completion_order should panic with the job's own panic, carried on with \
                 std::panic::resume_unwind(err.into_panic()); it panicked with {:?} instead \
                 (unwrap or expect on the JoinError wraps the job's panic in a new one)",
                payload
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or(payload.downcast_ref::<&str>().copied())
                    .unwrap_or("<non-text panic>")
            );
        }
    }
}

#[test]
fn t09_jobs_cancelled_before_they_finished_have_no_output() {
    let timeline = Timeline::new();
    let runtime = idle_runtime();
    let mut collector = {
        let _inside = runtime.enter();
        let mut collector = tokio_test::task::spawn(in_completion_order([
            job(&timeline, "a", ms(100)),
            job(&timeline, "b", ms(200)),
        ]));
        assert_pending!(
            collector.poll(),
            "in_completion_order should spawn the jobs and wait for them; on a runtime that \
             never runs them it cannot finish"
        );
        collector
    };
    // Shutting the runtime down cancels both jobs: join_next gives a cancelled JoinError
    // for each.
    drop(runtime);
    let outputs = assert_ready!(
        poll_after_shutdown(&mut collector),
        "both jobs were cancelled, so the JoinSet is done: in_completion_order should be too"
    );
    assert!(
        outputs.is_empty(),
        "cancelled jobs have no output; got {outputs:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn t10_dropping_the_handle_cancels_the_task() {
    let timeline = Timeline::new();
    timeline.expect("the task cut off at 10 ms, when its handle is dropped");
    let dropped = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let handle = spawn_abort_on_drop({
        let guard = DropGuard(dropped.clone());
        let finished = finished.clone();
        let timeline = timeline.clone();
        async move {
            let _guard = guard;
            let work = timeline.start("task");
            sleep(ms(1000)).await;
            work.end();
            finished.store(true, Ordering::SeqCst);
        }
    });
    sleep(ms(10)).await; // the task is now running, parked in its sleep
    drop(handle);
    sleep(ms(2000)).await; // long enough for the task to finish, had it survived
    assert!(
        !finished.load(Ordering::SeqCst),
        "the task finished its work although its AbortOnDrop handle was dropped at 10 ms: \
         dropping a plain JoinHandle only detaches the task; Drop must call abort()\n\n{}",
        timeline.render()
    );
    assert!(
        dropped.load(Ordering::SeqCst),
        "an aborted task's future is dropped by the runtime; it was not\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t11_join_waits_for_the_task_and_gives_its_value() {
    let handle = spawn_abort_on_drop(async {
        sleep(ms(100)).await;
        "done"
    });
    let got = handle.join().await;
    assert_eq!(
        got.ok(),
        Some("done"),
        "join() should await the task's JoinHandle and give the task's output"
    );
}

#[tokio::test(start_paused = true)]
async fn t12_a_join_dropped_part_way_aborts_the_task() {
    let timeline = Timeline::new();
    timeline.expect("the task cut off at 10 ms, when the timeout drops join()");
    let finished = Arc::new(AtomicBool::new(false));
    let handle = spawn_abort_on_drop({
        let finished = finished.clone();
        let timeline = timeline.clone();
        async move {
            let work = timeline.start("task");
            sleep(ms(1000)).await;
            work.end();
            finished.store(true, Ordering::SeqCst);
        }
    });
    let joined = tokio::time::timeout(ms(10), handle.join()).await;
    assert!(
        joined.is_err(),
        "the task takes 1 s: join() cannot be done at 10 ms"
    );
    sleep(ms(2000)).await;
    assert!(
        !finished.load(Ordering::SeqCst),
        "the timeout dropped join()'s future at 10 ms, yet the task ran on to the end: \
         the future of join() holds the handle, and dropping it must abort the task as \
         dropping the AbortOnDrop does (a handle taken out of it and dropped only detaches)\n\n{}",
        timeline.render()
    );
}
