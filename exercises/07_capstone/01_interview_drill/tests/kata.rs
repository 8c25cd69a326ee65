//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `returns_old_count` (t01, t02, t03): `lazy_job` returns `fetch_add`'s old value
//! - `sequential_join` (t05, t06): `run_joined` awaits `a`, then `b`
//! - `spawned_via_join` (t07, t09): `run_spawned` built on `join!`, not on tasks
//! - `spawn_then_await_each` (t08, t09): `run_spawned` awaits the first task first
//! - `blocking_inline` (t10, t11): `run_blocking` calls `job()` in the async fn
//! - `blocking_in_spawn` (t10, t11): `run_blocking` wraps `job()` in `tokio::spawn`
//! - `greet_each_reversed` (t13): `greet_each` greets in reverse list order
//! - `eager_counts_in_caller` (t14): `eager_job` counts in the call and spawns a task that only hands back the count
//! - `blocking_panic_resumed` (t15): `run_blocking` resumes the job's panic instead of returning it as `Err(JoinError)`
//! - `greet_with_all_at_once` (t16): `greet_with` greets every name at once with `join_all`
//!
//! Blind answers: 7 tried, 3 passed before this test file caught them (2026-12):
//! `blocking_panic_resumed` (the promised `JoinError` was never tested),
//! `eager_counts_in_caller` and `greet_with_all_at_once` (the lesson said "right away" and
//! "in order"; it now says the count is the task's work and the greetings come one after
//! the other, and t14, t16 check that).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use interview_drill::{
    DynGreeter, English, French, Greeter, eager_job, greet_each, greet_with, lazy_job,
    run_blocking, run_joined, run_spawned,
};
use tokio::time::{Instant, sleep};

/// Flags that say how far a branch got: started, finished, or dropped half-way.
#[derive(Clone, Default)]
struct Progress {
    started: Arc<AtomicBool>,
    finished: Arc<AtomicBool>,
    dropped_unfinished: Arc<AtomicBool>,
}

struct DropGuard(Arc<AtomicBool>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Progress {
    /// A branch that works for `secs` seconds of virtual time, then returns `value`.
    fn branch(&self, secs: u64, value: u32) -> impl Future<Output = u32> + Send + 'static {
        let p = self.clone();
        async move {
            p.started.store(true, Ordering::SeqCst);
            let guard = DropGuard(p.dropped_unfinished.clone());
            sleep(Duration::from_secs(secs)).await;
            std::mem::forget(guard);
            p.finished.store(true, Ordering::SeqCst);
            value
        }
    }
    fn started(&self) -> bool {
        self.started.load(Ordering::SeqCst)
    }
    fn finished(&self) -> bool {
        self.finished.load(Ordering::SeqCst)
    }
    fn dropped_unfinished(&self) -> bool {
        self.dropped_unfinished.load(Ordering::SeqCst)
    }
}

/// A branch that panics after 100ms of virtual time.
async fn panics_soon() -> u32 {
    sleep(Duration::from_millis(100)).await;
    panic!("branch a panicked");
}

fn panic_text(err: tokio::task::JoinError) -> String {
    assert!(
        err.is_panic(),
        "the task should have panicked, not been cancelled"
    );
    let payload = err.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

// --- Q1: lazy Rust futures vs eager JS promises -----------------------------------

#[tokio::test(start_paused = true)]
async fn t01_lazy_job_does_nothing_until_awaited() {
    let runs = Arc::new(AtomicUsize::new(0));
    let job = lazy_job(runs.clone());
    sleep(Duration::from_millis(1)).await; // give any stray task a chance to run
    assert_eq!(
        runs.load(Ordering::SeqCst),
        0,
        "lazy_job ran before its future was awaited: a Rust future is lazy, \
         so the work must wait for the first poll, not be handed to the runtime"
    );
    assert_eq!(
        job.await,
        1,
        "awaiting the job should run it once and return 1"
    );
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "awaiting the job should count one run"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_dropped_lazy_job_never_runs() {
    let runs = Arc::new(AtomicUsize::new(0));
    drop(lazy_job(runs.clone()));
    sleep(Duration::from_millis(1)).await;
    assert_eq!(
        lazy_job(runs.clone()).await,
        1,
        "a lazy future dropped without being polled must never run: \
         the count after awaiting a second job should be 1, not 2"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_eager_job_starts_without_await() {
    let runs = Arc::new(AtomicUsize::new(0));
    let handle = eager_job(runs.clone());
    sleep(Duration::from_millis(1)).await; // the runtime runs ready tasks meanwhile
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "eager_job should have run by now, before anyone awaited its handle, \
         like a JS promise: hand the work to the runtime with tokio::spawn"
    );
    assert_eq!(
        handle.await.expect("the eager job should not fail"),
        1,
        "the handle should give back the job's result"
    );
}

#[tokio::test(start_paused = true)]
async fn t04_eager_job_runs_even_if_nobody_awaits_it() {
    let runs = Arc::new(AtomicUsize::new(0));
    drop(eager_job(runs.clone()));
    sleep(Duration::from_millis(1)).await;
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "dropping a JoinHandle detaches the task, it does not cancel it: \
         the eager job should still have run"
    );
}

// --- Q2: join! vs spawn -----------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn t05_join_runs_both_branches_at_once() {
    let (a, b) = (Progress::default(), Progress::default());
    let start = Instant::now();
    let out = run_joined(a.branch(1, 1), b.branch(1, 2)).await;
    let took = start.elapsed();
    assert_eq!(
        out,
        (1, 2),
        "run_joined should return both outputs, in argument order"
    );
    assert_eq!(
        took,
        Duration::from_secs(1),
        "two 1s branches took {took:?} of virtual time: they ran one after the other, \
         not concurrently"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_join_panic_cancels_the_sibling() {
    let sibling = Progress::default();
    let task = tokio::spawn(run_joined(panics_soon(), sibling.branch(1, 2)));
    let err = task
        .await
        .expect_err("a panic in one join! branch should panic the task");
    assert_eq!(
        panic_text(err),
        "branch a panicked",
        "the task should die of branch a's panic"
    );
    assert!(
        sibling.started(),
        "both branches should have started together"
    );
    sleep(Duration::from_secs(2)).await;
    assert!(
        sibling.dropped_unfinished() && !sibling.finished(),
        "join! runs both branches inside one task: when a branch panics, the task unwinds \
         and the sibling is dropped half-way, it never finishes"
    );
}

#[tokio::test(start_paused = true)]
async fn t07_spawned_panic_is_a_join_error_and_the_sibling_finishes() {
    let sibling = Progress::default();
    let outer = tokio::spawn(run_spawned(panics_soon(), sibling.branch(1, 2)));
    let (a, b) = outer.await.expect(
        "run_spawned itself panicked: each spawned task's panic must stay in its task \
         and come back as a JoinError, not unwind the caller",
    );
    let err = a.expect_err("branch a panicked, so its result should be a JoinError");
    assert_eq!(
        panic_text(err),
        "branch a panicked",
        "the JoinError should carry branch a's own panic message: that task died of its \
         panic, it was not cancelled"
    );
    assert_eq!(
        b.expect("the sibling task should be unaffected by branch a's panic"),
        2,
        "the sibling task should finish and return its value"
    );
    assert!(
        sibling.finished() && !sibling.dropped_unfinished(),
        "the sibling task should run to the end, never dropped half-way: a panic in one \
         spawned task does not touch another (finished: {}, dropped half-way: {})",
        sibling.finished(),
        sibling.dropped_unfinished()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_spawned_tasks_run_at_the_same_time() {
    let (a, b) = (Progress::default(), Progress::default());
    let start = Instant::now();
    let (ra, rb) = run_spawned(a.branch(1, 1), b.branch(1, 2)).await;
    let took = start.elapsed();
    assert_eq!(
        (ra.unwrap(), rb.unwrap()),
        (1, 2),
        "both spawned tasks should succeed, and run_spawned returns their outputs in \
         argument order: a's, then b's"
    );
    assert_eq!(
        took,
        Duration::from_secs(1),
        "two 1s tasks took {took:?}: spawn both before awaiting either"
    );
}

#[tokio::test(start_paused = true)]
async fn t09_spawned_tasks_outlive_their_cancelled_caller() {
    let (a, b) = (Progress::default(), Progress::default());
    let mut caller = tokio_test::task::spawn(run_spawned(a.branch(1, 1), b.branch(1, 2)));
    tokio_test::assert_pending!(caller.poll(), "the tasks take 1s, so the caller waits");
    drop(caller); // cancel the caller, as a timeout or select! would
    sleep(Duration::from_secs(2)).await;
    assert!(
        a.finished() && b.finished(),
        "spawned tasks are independent of the future that spawned them: after the \
         caller was dropped both should still finish (a: {}, b: {})",
        a.finished(),
        b.finished()
    );
}

// --- Q3: spawn_blocking -----------------------------------------------------------

#[tokio::test]
async fn t10_blocking_job_runs_off_the_runtime_thread() {
    let runtime_thread = std::thread::current().id();
    let job_thread = run_blocking(|| std::thread::current().id())
        .await
        .expect("the job should not panic");
    assert_ne!(
        job_thread, runtime_thread,
        "the blocking job ran on the runtime's own thread: blocking there stalls every \
         task on it. tokio::spawn is not enough; spawn_blocking moves it to the \
         blocking pool"
    );
}

#[tokio::test]
async fn t11_runtime_keeps_serving_while_the_job_blocks() {
    // The job blocks its thread until another task on the runtime sends it a value.
    // On the runtime's own thread it would wait in vain: it says so at once instead.
    let runtime_thread = std::thread::current().id();
    let (tx, rx) = std::sync::mpsc::channel();
    let job = run_blocking(move || {
        if std::thread::current().id() == runtime_thread {
            return None;
        }
        rx.recv_timeout(Duration::from_secs(5)).ok()
    });
    let other_task = async move {
        tokio::task::yield_now().await;
        let _ = tx.send(42);
    };
    let (got, ()) = tokio::join!(job, other_task);
    assert_eq!(
        got.expect("the job should not panic"),
        Some(42),
        "the blocking job would wait for a value that another task is ready to send, but \
         it runs on the runtime's only thread: blocking there, it would keep that task \
         from ever running (None: the job saw it was on the runtime thread)"
    );
}

// --- Q4: async fn in traits, generic and dynamic ------------------------------------

/// A greeter the kata does not know about: proves `greet_with` uses its argument.
struct Pirate;

impl Greeter for Pirate {
    async fn greet(&self, name: &str) -> String {
        format!("Ahoy, {name}!")
    }
}

#[tokio::test(start_paused = true)]
async fn t12_greet_with_works_for_any_greeter() {
    assert_eq!(
        greet_with(&English, &["Ada", "Grace"]).await,
        ["Hello, Ada!", "Hello, Grace!"],
        "greet_with(&English, ..) should give one greeting per name, in order"
    );
    assert_eq!(
        greet_with(&Pirate, &["Ada", "Grace"]).await,
        ["Ahoy, Ada!", "Ahoy, Grace!"],
        "greet_with should await the given greeter's greet(): it is generic, \
         one copy is compiled per greeter type"
    );
}

#[tokio::test(start_paused = true)]
async fn t13_greet_each_mixes_greeter_types_behind_dyn() {
    let greeters: Vec<Box<dyn DynGreeter>> =
        vec![Box::new(French), Box::new(Pirate), Box::new(English)];
    assert_eq!(
        greet_each(&greeters, "Ferris").await,
        ["Bonjour, Ferris !", "Ahoy, Ferris!", "Hello, Ferris!"],
        "one greeting per boxed greeter, in list order: each greet_boxed() call goes \
         through the vtable to the blanket impl, which boxes that type's greet() future"
    );
}

#[tokio::test(start_paused = true)]
async fn t14_eager_job_counts_in_its_task_not_in_the_call() {
    // A current-thread runtime: a spawned task runs when this one next awaits.
    let runs = Arc::new(AtomicUsize::new(0));
    let handle = eager_job(runs.clone());
    assert_eq!(
        runs.load(Ordering::SeqCst),
        0,
        "the count is the spawned task's work: calling eager_job only hands it to the \
         runtime, which runs it when this task next awaits (here, a current-thread \
         runtime). A count done inside eager_job itself is work done by the caller"
    );
    handle.abort();
    sleep(Duration::from_millis(1)).await;
    assert_eq!(
        runs.load(Ordering::SeqCst),
        0,
        "the task was aborted before it ever ran, so it counted nothing: the work belongs \
         to the task"
    );
}

#[tokio::test]
async fn t15_run_blocking_returns_a_panic_as_a_join_error() {
    let caller = tokio::spawn(run_blocking(|| -> u32 { panic!("the disk is on fire") }));
    let result = caller.await.unwrap_or_else(|_| {
        panic!(
            "run_blocking panicked itself: its promise is to return the job's panic as \
             Err(JoinError), a value the caller can look at, not to unwind into it"
        )
    });
    let error = result.expect_err("the job panicked, so run_blocking returns Err");
    assert!(
        error.is_panic(),
        "the JoinError says the job panicked (is_panic), it was not cancelled"
    );
}

/// A greeter that takes 10 ms of virtual time and counts how many greetings are under
/// way at once.
#[derive(Clone, Default)]
struct Gauged {
    now: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

impl Greeter for Gauged {
    async fn greet(&self, name: &str) -> String {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        sleep(Duration::from_millis(10)).await;
        self.now.fetch_sub(1, Ordering::SeqCst);
        format!("Hi, {name}.")
    }
}

#[tokio::test(start_paused = true)]
async fn t16_greetings_are_made_one_after_the_other() {
    let greeter = Gauged::default();
    let start = Instant::now();
    let greetings = greet_with(&greeter, &["Ada", "Grace", "Barbara"]).await;
    assert_eq!(greetings, ["Hi, Ada.", "Hi, Grace.", "Hi, Barbara."]);
    assert_eq!(
        (greeter.peak.load(Ordering::SeqCst), start.elapsed()),
        (1, Duration::from_millis(30)),
        "greet_with greets the names in order, one after the other: each greeting is \
         awaited before the next starts (at most 1 under way, 3 × 10 ms), not all at once \
         with join_all"
    );
    let start = Instant::now();
    let greeters: Vec<Box<dyn DynGreeter>> =
        vec![Box::new(greeter.clone()), Box::new(greeter.clone())];
    greet_each(&greeters, "Ferris").await;
    assert_eq!(
        (greeter.peak.load(Ordering::SeqCst), start.elapsed()),
        (1, Duration::from_millis(20)),
        "greet_each too greets with one greeter after the other"
    );
}
