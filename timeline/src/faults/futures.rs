//! Futures that are ready, pending, woken, moved or dropped when a test says so.
//!
//! Every kit future shares a [`Probe`] with the test: how many times it was polled,
//! whether it finished, whether it was dropped before finishing, and how many wakers
//! (wake-ups) it handed out. [`hooked_waker`] makes a waker that runs the test's code at
//! the very moment the code under test clones or wakes it. A kit future panics if it is polled again after `Ready`,
//! which is what most futures do (an `async` block polled after completion panics).
//!
//! ```ignore
//! use timeline::faults::futures::{pending_for, ready_at_first_poll, NewWakerEachPoll};
//! let (a, probe_a) = ready_at_first_poll(1);   // Ready on its first poll
//! let (b, probe_b) = pending_for(3, 2);         // Pending 3 times (waking itself), then Ready
//! let mut join = NewWakerEachPoll::new(my_join(a, b));
//! while join.poll().is_pending() {}             // each poll with a waker never seen before
//! assert_eq!(probe_a.polls(), 1);
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Wake, Waker};

/// What a kit future did, shared with the test (cheap to clone).
#[derive(Clone, Debug, Default)]
pub struct Probe {
    inner: Arc<ProbeState>,
}

#[derive(Debug, Default)]
struct ProbeState {
    polls: AtomicUsize,
    wakes: AtomicUsize,
    finished: AtomicBool,
    dropped_early: AtomicBool,
}

impl Probe {
    /// A probe nobody has used yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// How many times the future was polled.
    pub fn polls(&self) -> usize {
        self.inner.polls.load(Ordering::SeqCst)
    }
    /// How many times the future woke the waker of its latest poll.
    pub fn wakes(&self) -> usize {
        self.inner.wakes.load(Ordering::SeqCst)
    }
    /// Whether the future returned `Ready`.
    pub fn finished(&self) -> bool {
        self.inner.finished.load(Ordering::SeqCst)
    }
    /// Whether the future was dropped before it returned `Ready` (cancelled).
    pub fn dropped_early(&self) -> bool {
        self.inner.dropped_early.load(Ordering::SeqCst)
    }
}

/// How a [`PendingFor`] asks to be polled again after a `Pending`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wakes {
    /// It wakes the waker of that poll before returning `Pending` (as a countdown does):
    /// an executor polls it again at once.
    Itself,
    /// It wakes nothing: only a test polling by hand brings it back. Use it to check
    /// that the code under test does not wake its task by itself.
    Never,
}

/// A future that returns `Pending` `n` times, then `Ready(output)`. Made by
/// [`pending_for`] and [`ready_at_first_poll`] (`n == 0`).
#[derive(Debug)]
pub struct PendingFor<T> {
    remaining: usize,
    output: Option<T>,
    wakes: Wakes,
    probe: Probe,
    /// Panics with this message where it would be ready ([`panics_after`]).
    panics: Option<&'static str>,
}

impl<T> Unpin for PendingFor<T> {}

/// A future ready with `output` at its first poll, and the probe that watches it.
pub fn ready_at_first_poll<T>(output: T) -> (PendingFor<T>, Probe) {
    pending_for(0, output)
}

/// A future pending for its first `n` polls, waking itself each time, then ready with
/// `output`; and the probe that watches it. [`PendingFor::waking`] changes the waking.
pub fn pending_for<T>(n: usize, output: T) -> (PendingFor<T>, Probe) {
    let probe = Probe::new();
    let future = PendingFor {
        remaining: n,
        output: Some(output),
        wakes: Wakes::Itself,
        probe: probe.clone(),
        panics: None,
    };
    (future, probe)
}

/// A future pending for its first `n` polls (waking itself), that then panics with
/// `message` instead of being ready: a task that panics, at the moment the test says.
/// Its probe says it was dropped early (the unwinding drops it) and never finished.
pub fn panics_after<T>(n: usize, message: &'static str) -> (PendingFor<T>, Probe) {
    let probe = Probe::new();
    let future = PendingFor {
        remaining: n,
        output: None,
        wakes: Wakes::Itself,
        probe: probe.clone(),
        panics: Some(message),
    };
    (future, probe)
}

impl<T> PendingFor<T> {
    /// The same future, waking as `wakes` says after each `Pending`.
    pub fn waking(mut self, wakes: Wakes) -> Self {
        self.wakes = wakes;
        self
    }
}

impl<T> Future for PendingFor<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = &mut *self;
        this.probe.inner.polls.fetch_add(1, Ordering::SeqCst);
        if this.remaining == 0 {
            if let Some(message) = this.panics {
                panic!("{message}");
            }
            let output = this
                .output
                .take()
                .expect("a future was polled again after it returned Ready");
            this.probe.inner.finished.store(true, Ordering::SeqCst);
            return Poll::Ready(output);
        }
        this.remaining -= 1;
        if this.wakes == Wakes::Itself {
            this.probe.inner.wakes.fetch_add(1, Ordering::SeqCst);
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }
}

impl<T> Drop for PendingFor<T> {
    fn drop(&mut self) {
        if !self.probe.finished() {
            self.probe.inner.dropped_early.store(true, Ordering::SeqCst);
        }
    }
}

/// A waker that counts its wakes; one per poll of a [`NewWakerEachPoll`].
#[derive(Debug, Default)]
pub struct CountingWaker {
    wakes: AtomicUsize,
}

impl CountingWaker {
    /// How many times this waker (or a clone of it) was woken.
    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

/// Code a [`hooked_waker`] runs when it is cloned or woken.
type Hook = Box<dyn Fn() + Send + Sync>;

struct Hooks {
    on_clone: Hook,
    on_wake: Hook,
    wakes: AtomicUsize,
}

/// How many times a [`hooked_waker`] (or a clone) was woken.
#[derive(Clone)]
pub struct HookedWakes(Arc<Hooks>);

impl HookedWakes {
    /// The wakes so far.
    pub fn wakes(&self) -> usize {
        self.0.wakes.load(Ordering::SeqCst)
    }
}

/// A waker that runs `on_clone` each time it is cloned (before the clone is made) and
/// `on_wake` each time it is woken (before the wake is counted): the test's code runs
/// at that very instant, inside the code under test. That is how a test puts another
/// thread's `set` between a check and a store, or looks at a lock while it is held.
pub fn hooked_waker(
    on_clone: impl Fn() + Send + Sync + 'static,
    on_wake: impl Fn() + Send + Sync + 'static,
) -> (Waker, HookedWakes) {
    let hooks = Arc::new(Hooks {
        on_clone: Box::new(on_clone),
        on_wake: Box::new(on_wake),
        wakes: AtomicUsize::new(0),
    });
    let raw = RawWaker::new(Arc::into_raw(hooks.clone()).cast(), &HOOKED_VTABLE);
    // SAFETY: the vtable's functions keep the contract of `RawWaker`: the data pointer
    // is an `Arc<Hooks>` from `Arc::into_raw`, cloned and released as an `Arc`.
    let waker = unsafe { Waker::from_raw(raw) };
    (waker, HookedWakes(hooks))
}

static HOOKED_VTABLE: RawWakerVTable =
    RawWakerVTable::new(hooked_clone, hooked_wake, hooked_wake_by_ref, hooked_drop);

/// The `Hooks` behind a data pointer, without taking its reference count.
///
/// # Safety
/// `data` comes from `Arc::into_raw` of an `Arc<Hooks>` that is still alive.
unsafe fn hooks<'a>(data: *const ()) -> &'a Hooks {
    // SAFETY: the caller's promise.
    unsafe { &*data.cast::<Hooks>() }
}

unsafe fn hooked_clone(data: *const ()) -> RawWaker {
    // SAFETY: `data` is a live waker's pointer.
    (unsafe { hooks(data) }.on_clone)();
    // SAFETY: one more owner of the same `Arc`.
    unsafe { Arc::increment_strong_count(data.cast::<Hooks>()) };
    RawWaker::new(data, &HOOKED_VTABLE)
}

unsafe fn hooked_wake(data: *const ()) {
    // SAFETY: `wake` consumes the waker: wake by reference, then release it.
    unsafe {
        hooked_wake_by_ref(data);
        hooked_drop(data);
    }
}

unsafe fn hooked_wake_by_ref(data: *const ()) {
    // SAFETY: `data` is a live waker's pointer.
    let hooks = unsafe { hooks(data) };
    (hooks.on_wake)();
    hooks.wakes.fetch_add(1, Ordering::SeqCst);
}

unsafe fn hooked_drop(data: *const ()) {
    // SAFETY: this waker's share of the `Arc` is released once.
    drop(unsafe { Arc::from_raw(data.cast::<Hooks>()) });
}

/// Polls a future by hand, each time with a waker it has never seen: as if, between
/// two polls, the future had moved to another task (a `select!` in a loop, a future
/// handed to `spawn`). A correct future wakes only the waker of its latest poll.
pub struct NewWakerEachPoll<F> {
    future: Pin<Box<F>>,
    wakers: Vec<Arc<CountingWaker>>,
}

impl<F: Future> NewWakerEachPoll<F> {
    /// Takes `future`, not polled yet.
    pub fn new(future: F) -> Self {
        NewWakerEachPoll {
            future: Box::pin(future),
            wakers: Vec::new(),
        }
    }

    /// Polls once, with a new waker.
    pub fn poll(&mut self) -> Poll<F::Output> {
        let counting = Arc::new(CountingWaker::default());
        self.wakers.push(counting.clone());
        let waker = Waker::from(counting);
        self.future.as_mut().poll(&mut Context::from_waker(&waker))
    }

    /// How many times the future was polled.
    pub fn polls(&self) -> usize {
        self.wakers.len()
    }

    /// The wakes of each poll's waker, in poll order.
    pub fn wakes(&self) -> Vec<usize> {
        self.wakers.iter().map(|waker| waker.wakes()).collect()
    }

    /// The wakes of the latest poll's waker (0 before the first poll).
    pub fn latest_wakes(&self) -> usize {
        self.wakers.last().map_or(0, |waker| waker.wakes())
    }

    /// The wakes of every waker but the latest: wakes that reach a task the future has
    /// left.
    pub fn stale_wakes(&self) -> usize {
        let n = self.wakers.len().saturating_sub(1);
        self.wakers[..n].iter().map(|waker| waker.wakes()).sum()
    }

    /// The future itself, to drop it or look at it.
    pub fn into_inner(self) -> Pin<Box<F>> {
        self.future
    }
}

/// Drives `future` to completion on the current Tokio runtime, moving it to a new
/// spawned task after each `Pending`: every poll after the first comes from another
/// task, with another waker. Returns the output and the number of polls.
pub async fn on_new_tasks<F>(future: F) -> (F::Output, usize)
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut future = Box::pin(future);
    let mut polls = 0;
    loop {
        polls += 1;
        let (back, outcome) = tokio::spawn(async move {
            let outcome = Step::new(future.as_mut()).await;
            (future, outcome)
        })
        .await
        .expect("the future under test panicked on a task of its own");
        future = back;
        if let Some(output) = outcome {
            return (output, polls);
        }
    }
}

/// Polls its future once: `Some(output)` if that poll was `Ready`; after a `Pending`,
/// waits for the future's wake and then gives `None` without polling it again.
struct Step<F> {
    future: F,
    polled: bool,
}

impl<F> Step<F> {
    fn new(future: F) -> Self {
        Step {
            future,
            polled: false,
        }
    }
}

impl<F: Future + Unpin> Future for Step<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.polled {
            return Poll::Ready(None);
        }
        self.polled = true;
        match Pin::new(&mut self.future).poll(cx) {
            Poll::Ready(output) => Poll::Ready(Some(output)),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// What happened to the future at one of the await points [`drop_at_each_await`] tried.
#[derive(Debug)]
pub enum Outcome<T> {
    /// Dropped after this many `Pending`s (0: dropped before its first poll).
    DroppedAfter(usize),
    /// It finished after this many `Pending`s, with this output.
    Finished(usize, T),
}

/// Runs a fresh future from `make` once per await point: first dropped unpolled, then
/// dropped right after its first `Pending`, its second, …, until a run finishes. The
/// future is driven on the current Tokio runtime (a paused clock advances as usual)
/// and each step waits for the future's own wake. After each run, `check` is given the
/// run's number (the `Pending`s before the drop) and its outcome. Returns how many
/// `Pending`s the finished run had.
///
/// A future that keeps waking itself and never finishes is dropped after
/// `max_pendings` and the harness panics: the future under test does not end. One that
/// never wakes hangs here as it would on any executor (the runner's time limit ends it).
pub async fn drop_at_each_await<F, M, C>(max_pendings: usize, mut make: M, mut check: C) -> usize
where
    F: Future,
    M: FnMut() -> F,
    C: FnMut(Outcome<F::Output>),
{
    for drop_after in 0..=max_pendings {
        let mut future = Box::pin(make());
        let mut pendings = 0;
        let mut finished = None;
        while pendings < drop_after {
            match Step::new(future.as_mut()).await {
                Some(output) => {
                    finished = Some(output);
                    break;
                }
                None => pendings += 1,
            }
        }
        if finished.is_none() && drop_after == max_pendings {
            panic!("the future was still pending after {max_pendings} Pendings");
        }
        match finished {
            Some(output) => {
                drop(future);
                check(Outcome::Finished(pendings, output));
                return pendings;
            }
            None => {
                drop(future);
                check(Outcome::DroppedAfter(drop_after));
            }
        }
    }
    unreachable!("the loop returns or panics at max_pendings")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn ready_at_first_poll_is_ready_once_and_counts_it() {
        let (future, probe) = ready_at_first_poll(7);
        let mut poller = NewWakerEachPoll::new(future);
        assert_eq!(poller.poll(), Poll::Ready(7));
        assert_eq!(
            (probe.polls(), probe.wakes(), probe.finished()),
            (1, 0, true)
        );
        drop(poller);
        assert!(!probe.dropped_early());
    }

    #[test]
    fn a_task_that_panics_after_n_polls_surfaces_as_a_join_error() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let (future, probe) = panics_after::<u32>(2, "the kit's panic");
        let error = runtime
            .block_on(async { tokio::spawn(future).await })
            .unwrap_err();
        assert!(error.is_panic());
        let payload = error.into_panic();
        assert_eq!(
            payload.downcast_ref::<String>().map(String::as_str),
            Some("the kit's panic")
        );
        assert_eq!(probe.polls(), 3);
        assert!(!probe.finished() && probe.dropped_early());
    }

    #[test]
    #[should_panic(expected = "polled again after it returned Ready")]
    fn a_kit_future_polled_after_ready_panics() {
        let (future, _probe) = ready_at_first_poll(());
        let mut poller = NewWakerEachPoll::new(future);
        let _ = poller.poll();
        let _ = poller.poll();
    }

    #[test]
    fn pending_for_wakes_the_latest_waker_each_time() {
        let (future, probe) = pending_for(3, "done");
        let mut poller = NewWakerEachPoll::new(future);
        for _ in 0..3 {
            assert!(poller.poll().is_pending());
            assert_eq!(poller.latest_wakes(), 1);
        }
        assert_eq!(poller.poll(), Poll::Ready("done"));
        assert_eq!(poller.wakes(), [1, 1, 1, 0]);
        assert_eq!(poller.stale_wakes(), 3);
        assert_eq!((probe.polls(), probe.wakes()), (4, 3));
    }

    #[test]
    fn a_silent_pending_future_wakes_nothing_and_notes_an_early_drop() {
        let (future, probe) = pending_for(2, ());
        let future = future.waking(Wakes::Never);
        let mut poller = NewWakerEachPoll::new(future);
        assert!(poller.poll().is_pending());
        assert_eq!(poller.wakes(), [0]);
        drop(poller);
        assert!(probe.dropped_early() && !probe.finished());
    }

    #[test]
    fn a_hooked_waker_runs_its_hooks_at_clone_and_wake() {
        let clones = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(AtomicUsize::new(0));
        let (waker, wakes) = {
            let (clones, seen) = (clones.clone(), seen.clone());
            hooked_waker(
                move || {
                    clones.fetch_add(1, Ordering::SeqCst);
                },
                move || {
                    seen.fetch_add(1, Ordering::SeqCst);
                },
            )
        };
        let copy = waker.clone();
        copy.wake_by_ref();
        copy.wake();
        drop(waker);
        assert_eq!(clones.load(Ordering::SeqCst), 1);
        assert_eq!((seen.load(Ordering::SeqCst), wakes.wakes()), (2, 2));
        assert_eq!(Arc::strong_count(&wakes.0), 1, "every clone released");
    }

    #[tokio::test(start_paused = true)]
    async fn on_new_tasks_polls_from_a_new_task_each_time() {
        let (future, probe) = pending_for(4, 9);
        assert_eq!(on_new_tasks(future).await, (9, 5));
        assert_eq!(probe.polls(), 5);
        let sleeper = async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            1
        };
        assert_eq!(on_new_tasks(sleeper).await, (1, 2));
    }

    #[tokio::test(start_paused = true)]
    async fn drop_at_each_await_tries_every_point() {
        let mut seen = Vec::new();
        let pendings = drop_at_each_await(
            10,
            || async {
                tokio::time::sleep(Duration::from_secs(1)).await;
                tokio::task::yield_now().await;
                "end"
            },
            |outcome| seen.push(format!("{outcome:?}")),
        )
        .await;
        assert_eq!(pendings, 2);
        assert_eq!(
            seen,
            [
                "DroppedAfter(0)",
                "DroppedAfter(1)",
                "DroppedAfter(2)",
                "Finished(2, \"end\")"
            ]
        );
    }

    #[tokio::test]
    #[should_panic(expected = "still pending after 3 Pendings")]
    async fn drop_at_each_await_gives_up_on_a_future_that_never_ends() {
        drop_at_each_await(3, || pending_for(usize::MAX, ()).0, |_| {}).await;
    }
}
