//! One test per row of the seed's `join!` vs `spawn` table, made precise:
//! - runs on: `join!` the caller's task (t01); `spawn` a new task each (t02)
//! - concurrency: both wait side by side (t03)
//! - a panic: under `join!` it unwinds the caller and drops the sibling (t04); a
//!   spawned task's panic is caught in its JoinHandle, the sibling runs on (t05)
//! - cancellation: dropping the caller drops `join!` branches (t06); spawned tasks are
//!   detached and run on (t07)
//! - `Send`: `join!` does not need it (t08); `spawn` does, the compiler asks for it
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `join_awaits_one_then_the_other` (t03): `with_join` awaits `a`, then `b`: 2 s, not 1 s
//! - `spawn_written_with_join` (t02, t05, t07): `with_spawn` joins on the caller's task
//! - `spawn_and_await_one_at_a_time` (t03, t07): `a` spawned and awaited before `b` is spawned
//! - `spawn_unwraps_the_handles` (t05): the handles unwrapped: task a's panic panics the caller
//! - `spawn_aborts_on_drop` (t07): abort-on-drop guards: dropping the caller cancels the tasks
//!
//! Blind answers: 5 tried, 0 passed (2026-12).

use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use join_vs_spawn::{with_join, with_spawn};
use timeline::Timeline;
use tokio::task::{self, yield_now};
use tokio::time::{Instant, sleep};
use tokio_test::assert_pending;

/// Sets its flag when dropped, however the future holding it ends.
struct DropGuard(Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// What the tests see of one piece of work: was its future dropped, did it finish.
#[derive(Clone)]
struct Probe {
    dropped: Arc<AtomicBool>,
    finished: Arc<AtomicBool>,
    timeline: Timeline,
    label: &'static str,
}

impl Probe {
    /// A probe whose work is drawn on `timeline`, labelled `label`.
    fn on(timeline: &Timeline, label: &'static str) -> Probe {
        Probe {
            dropped: Arc::default(),
            finished: Arc::default(),
            timeline: timeline.clone(),
            label,
        }
    }

    /// Work that takes `delay`, then reports it finished and returns `value`.
    fn work(&self, delay: Duration, value: u32) -> impl Future<Output = u32> + Send + 'static {
        let guard = DropGuard(self.dropped.clone());
        let finished = self.finished.clone();
        let (timeline, label) = (self.timeline.clone(), self.label);
        async move {
            let _guard = guard;
            let work = timeline.start(label);
            sleep(delay).await;
            work.end();
            finished.store(true, Ordering::SeqCst);
            value
        }
    }

    fn dropped(&self) -> bool {
        self.dropped.load(Ordering::SeqCst)
    }

    fn finished(&self) -> bool {
        self.finished.load(Ordering::SeqCst)
    }
}

/// Waits `delay` from its first poll, drawn on `timeline` as `label`.
fn wait(
    timeline: &Timeline,
    label: &'static str,
    delay: Duration,
) -> impl Future<Output = ()> + Send + 'static {
    let timeline = timeline.clone();
    async move { timeline.run(label, sleep(delay)).await }
}

async fn panics_after(delay: Duration) -> u32 {
    sleep(delay).await;
    panic!("branch a failed")
}

/// The message of the panic a JoinError carries.
fn panic_text(err: task::JoinError) -> String {
    if !err.is_panic() {
        return format!("<not a panic: {err}>");
    }
    let payload = err.into_panic();
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map_or("<non-text panic>", |text| text)
            .to_string(),
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test(start_paused = true)]
async fn t01_join_runs_both_futures_on_the_callers_task() {
    // The test body is not a task: spawn a caller so it has a task id.
    let (caller, (a, b)) = tokio::spawn(async {
        let ids = with_join(async { task::id() }, async { task::id() }).await;
        (task::id(), ids)
    })
    .await
    .expect("the caller should not fail");
    assert!(
        a == caller && b == caller,
        "with `join!`, both futures are polled by the caller's own task ({caller}); they \
         ran on tasks {a} and {b}"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_spawn_runs_each_future_on_a_task_of_its_own() {
    let (caller, (a, b)) = tokio::spawn(async {
        let ids = with_spawn(async { task::id() }, async { task::id() }).await;
        (task::id(), ids)
    })
    .await
    .expect("the caller should not fail");
    let (a, b) = (a.expect("task a"), b.expect("task b"));
    assert!(
        a != caller && b != caller && a != b,
        "with `spawn`, each future becomes a new task with its own id; the caller is \
         {caller} and the futures ran on {a} and {b}"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_both_run_the_futures_side_by_side() {
    let timeline = Timeline::new();
    timeline.expect("each pair side by side: with_join 0-1000 ms, with_spawn 1000-2000 ms");
    // `sleep(d)` fixes its deadline when it is created; `wait(d)` starts counting only
    // when first polled, so awaiting one after the other really takes longer.
    let start = Instant::now();
    with_join(
        wait(&timeline, "with_join: a", ms(1000)),
        wait(&timeline, "with_join: b", ms(1000)),
    )
    .await;
    let joined = start.elapsed();
    assert_eq!(
        joined,
        ms(1000),
        "two 1 s waits under `join!` take 1 s of virtual time; with_join took {joined:?}\n\n{}",
        timeline.render()
    );

    let start = Instant::now();
    let (a, b) = with_spawn(
        wait(&timeline, "with_spawn: a", ms(1000)),
        wait(&timeline, "with_spawn: b", ms(1000)),
    )
    .await;
    let spawned = start.elapsed();
    assert!(
        a.is_ok() && b.is_ok(),
        "both sleeping tasks should succeed\n\n{}",
        timeline.render()
    );
    assert_eq!(
        spawned,
        ms(1000),
        "two 1 s tasks take 1 s of virtual time; with_spawn took {spawned:?}: spawn both \
         before awaiting either handle\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_a_panic_under_join_unwinds_the_caller_and_drops_the_sibling() {
    let timeline = Timeline::new();
    timeline.expect("b cut off at 10 ms, when a panics");
    let sibling = Probe::on(&timeline, "b");
    let b = sibling.work(ms(1000), 2);
    let caller = tokio::spawn(async move { with_join(panics_after(ms(10)), b).await }).await;
    let text = match caller {
        Err(err) if err.is_panic() => panic_text(err),
        other => panic!(
            "a panic in one `join!` branch is a panic of the whole task that polls it: \
             the caller should have panicked, got {other:?}"
        ),
    };
    assert_eq!(
        text,
        "branch a failed",
        "the caller should have panicked with branch a's panic, not its own\n\n{}",
        timeline.render()
    );
    assert!(
        sibling.dropped() && !sibling.finished(),
        "when a `join!` branch panics, the task unwinds and its sibling branch is dropped \
         unfinished (the seed's \"if one panics, others cancel\")\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_a_panic_in_a_spawned_task_stays_in_its_handle() {
    let timeline = Timeline::new();
    timeline.expect("b runs on to 1000 ms after a panics");
    let sibling = Probe::on(&timeline, "b");
    let b = sibling.work(ms(1000), 2);
    let caller = tokio::spawn(async move { with_spawn(panics_after(ms(10)), b).await }).await;
    let (a, b) = match caller {
        Ok(results) => results,
        Err(err) => {
            let text = panic_text(err);
            if text.contains("branch a failed") {
                panic!(
                    "task a's panic took the caller down with it ({text:?}): a spawned \
                     task's panic is caught in its JoinHandle as a JoinError; return it \
                     instead of unwrapping it, and make sure `a` really is spawned, not \
                     joined"
                )
            }
            panic!("the caller panicked before its tasks could: {text}")
        }
    };
    assert!(
        a.as_ref().is_err_and(|err| err.is_panic()),
        "task a panicked: its result should be Err(JoinError) with is_panic(), got {a:?}\n\n{}",
        timeline.render()
    );
    assert_eq!(
        b.ok(),
        Some(2),
        "task b is independent of task a's panic: it should run to completion and give 2\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_dropping_the_caller_drops_join_branches() {
    let timeline = Timeline::new();
    timeline.expect("a and b cut off at 0 ms, when the caller is dropped");
    let (a, b) = (Probe::on(&timeline, "a"), Probe::on(&timeline, "b"));
    let mut caller = tokio_test::task::spawn(with_join(a.work(ms(1000), 1), b.work(ms(1000), 2)));
    assert_pending!(caller.poll(), "both branches are waiting for their timers");
    drop(caller);
    sleep(ms(2000)).await;
    assert!(
        a.dropped() && b.dropped() && !a.finished() && !b.finished(),
        "`join!` branches live inside the caller's future: dropping the caller cancels \
         them, and they never finish\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t07_spawned_tasks_outlive_a_dropped_caller() {
    let timeline = Timeline::new();
    timeline.expect("a and b run on to 1000 ms after the caller is dropped");
    let (a, b) = (Probe::on(&timeline, "a"), Probe::on(&timeline, "b"));
    let mut caller = tokio_test::task::spawn(with_spawn(a.work(ms(1000), 1), b.work(ms(1000), 2)));
    assert_pending!(caller.poll(), "the caller is waiting for its tasks");
    drop(caller);
    sleep(ms(2000)).await;
    assert!(
        a.finished() && b.finished(),
        "dropping a JoinHandle detaches its task, it does not cancel it: both tasks should \
         have finished their work after the caller was dropped (a JoinSet, by contrast, \
         aborts its tasks when dropped)\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_join_needs_no_send_futures() {
    // `Rc` is not `Send`, and these futures hold one across an `.await`: `tokio::spawn`
    // would refuse them at compile time. `join!` polls them right here, so it is fine, as
    // long as the caller is not spawned either: the test body runs on `block_on`. Inside
    // `tokio::spawn(async { with_join(a, b).await })` it would not compile, since the
    // caller's future holds the `join!` future, which holds these.
    let a = async {
        let shared = Rc::new(20);
        yield_now().await;
        *shared
    };
    let b = async {
        let shared = Rc::new(22);
        yield_now().await;
        *shared
    };
    let (a, b) = with_join(a, b).await;
    assert_eq!(a + b, 42, "with_join should give both outputs, (20, 22)");
}
