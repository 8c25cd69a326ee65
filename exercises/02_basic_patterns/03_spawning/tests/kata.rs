//! Wrong answers these tests reject:
//! - `run_isolated` that awaits the job directly instead of spawning it: same task
//!   (t02), and its panic unwinds the caller (t03)
//! - `run_isolated` that `unwrap`s the JoinHandle's result: the caller panics (t03)
//! - a panic report with a made-up or missing message, or one that only understands
//!   `String` payloads or only `&str` ones (t04)
//! - `in_completion_order` that spawns every job but awaits the handles in spawn order (t05)
//! - `in_completion_order` that runs the jobs one after the other (t05, t06)
//! - an `AbortOnDrop` whose `Drop` does nothing: the task is detached, runs on (t07)
//! - `join` that aborts the task before awaiting it (t08)

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use spawning::{JobPanicked, in_completion_order, run_isolated, spawn_abort_on_drop};
use tokio::time::{Instant, sleep};

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
            "a job that panics should come back as Err(JobPanicked(..)), got {outcome:?}"
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
        Err(JobPanicked("disk 7 on fire".to_string())),
        "`panic!(\"disk {{disk}} on fire\")` carries a String payload: \
         JoinError::try_into_panic gives it, downcast it to String"
    );
    let literal = run_isolated(async { panic!("out of paper") }).await;
    assert_eq!(
        literal,
        Err(JobPanicked("out of paper".to_string())),
        "`panic!(\"out of paper\")` carries a &'static str payload, not a String: \
         try both downcasts"
    );
}

/// A job that finishes after `delay` and returns `name`.
async fn job(name: &'static str, delay: Duration) -> &'static str {
    sleep(delay).await;
    name
}

#[tokio::test(start_paused = true)]
async fn t05_a_join_set_yields_results_in_completion_order() {
    let got = in_completion_order([
        job("slow", ms(300)),
        job("fast", ms(100)),
        job("medium", ms(200)),
    ])
    .await;
    assert_eq!(
        got,
        ["fast", "medium", "slow"],
        "results should come in the order the jobs finished (fast at 100 ms, medium at \
         200 ms, slow at 300 ms), not the order they were given: JoinSet::join_next \
         yields whichever task completes next"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_the_jobs_of_a_join_set_run_at_the_same_time() {
    let start = Instant::now();
    in_completion_order([job("a", ms(300)), job("b", ms(300)), job("c", ms(300))]).await;
    let took = start.elapsed();
    assert_eq!(
        took,
        ms(300),
        "three 300 ms jobs, each on its own task, should all be done after 300 ms of \
         virtual time; it took {took:?}, so they ran one after the other"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_dropping_the_handle_cancels_the_task() {
    let dropped = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let handle = spawn_abort_on_drop({
        let guard = DropGuard(dropped.clone());
        let finished = finished.clone();
        async move {
            let _guard = guard;
            sleep(ms(1000)).await;
            finished.store(true, Ordering::SeqCst);
        }
    });
    sleep(ms(10)).await; // the task is now running, parked in its sleep
    drop(handle);
    sleep(ms(2000)).await; // long enough for the task to finish, had it survived
    assert!(
        !finished.load(Ordering::SeqCst),
        "the task finished its work although its AbortOnDrop handle was dropped at 10 ms: \
         dropping a plain JoinHandle only detaches the task; Drop must call abort()"
    );
    assert!(
        dropped.load(Ordering::SeqCst),
        "an aborted task's future is dropped by the runtime; it was not"
    );
}

#[tokio::test(start_paused = true)]
async fn t08_join_waits_for_the_task_and_gives_its_value() {
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
