//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `pending_after_an_item` (t01, t03, t07): polls the inner stream once per `poll_next` and returns `Pending` after an item, with no wake-up registered by the inner stream
//! - `timer_only_checked` (t02, t03, t07): asks `Sleep::is_elapsed()` instead of polling the `Sleep`: nothing wakes the task at the deadline
//! - `timer_restarted_per_item` (t02, t04, t07): re-arms the timer on every item (a debounce): a steady trickle is never flushed
//! - `ticking_interval` (t04, t07): flushes on the ticks of an `Interval`, not a period after the chunk's first item
//! - `full_chunk_leaves_timer_armed` (t07): a full chunk leaves its timer armed: a quiet stream then gets an empty chunk at the old deadline
//! - `polls_after_the_end` (t05, t07): no memory of the end: the inner stream is polled again after its `None`
//! - `drops_the_rest_at_the_end` (t01, t05, t07): returns `None` at the end, losing the partial chunk
//! - `end_waits_for_deadline` (t01, t05, t07): at the end, the partial chunk waits for its timer instead of going out at once
//! - `size_hint_of_the_inner_stream` (t06, t07): forwards the inner stream's `size_hint`, which counts items, not chunks
//! - `size_hint_rounds_down` (t06, t07): `lower / max + open chunk`, as tokio-stream's own `chunks_timeout` does: honest, but not the bound the contract asks for
//! - `size_hint_upper_full_chunks` (t06, t07, t08): the upper bound counts full chunks, though a timer may flush a chunk of one
//! - `size_hint_overflows` (t08): `lower + buffered` and `upper + open` unchecked: an inner hint near `usize::MAX` panics
//!
//! Blind answers: 8 tried, 1 passed before this test file caught them (2026-12):
//! `full_chunk_leaves_timer_armed` (a full chunk left its timer armed, and a stream
//! quiet past the old deadline got an empty chunk). t07 now runs any schedule (bursts of
//! several chunks, chunks of one, a zero period, long quiet spells, an end right after
//! the last item, later or never, loose inner hints) and checks every chunk, its instant
//! and the `size_hint` between chunks, and that nothing comes after the last chunk;
//! schedules with an item at the very instant a chunk is due are skipped (a tie, either
//! way right). t08 puts the inner hint at `usize::MAX`. `size_hint_upper_full_chunks`
//! and `end_waits_for_deadline` are blind answers the tests already rejected, kept for
//! their mistakes.
//!
//! Mutants: cargo-mutants finds 13 viable (6 unviable), all killed.

use std::cell::Cell;
use std::collections::VecDeque;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::{Stream, StreamExt};
use stream_adapter::ChunksTimeout;
use tokio::sync::mpsc;
use tokio::time::{Instant, advance, sleep_until};
use tokio_stream::wrappers::ReceiverStream;
use tokio_test::{assert_pending, assert_ready_eq};

/// Long enough in virtual time that only a stream nobody wakes reaches it.
const FOREVER: Duration = Duration::from_secs(3600);

const PERIOD: Duration = Duration::from_millis(50);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A stream whose items are all ready at once. After them it ends (`ends`) or stays
/// pending; it panics if polled again after it ended. Its `size_hint` is the items
/// left, with `more` items that may still come on top of them in the upper bound.
struct Strict {
    items: VecDeque<u32>,
    ends: bool,
    more: Option<usize>,
    ended: bool,
}

impl Strict {
    fn ending(items: impl IntoIterator<Item = u32>) -> Self {
        Strict {
            items: items.into_iter().collect(),
            ends: true,
            more: Some(0),
            ended: false,
        }
    }
}

impl Stream for Strict {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u32>> {
        assert!(
            !self.ended,
            "the inner stream was polled again after it returned `None`: a stream may panic \
             or misbehave then. Remember that it ended, and answer `None` yourself"
        );
        match self.items.pop_front() {
            Some(item) => Poll::Ready(Some(item)),
            None if self.ends => {
                self.ended = true;
                Poll::Ready(None)
            }
            None => Poll::Pending,
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.items.len();
        (left, self.more.map(|more| left + more))
    }
}

/// A stream that yields `item` at `at` ms of virtual time for each `(at, item)`, then
/// ends (`ends`) or never answers again.
fn scheduled(schedule: &'static [(u64, u32)], ends: bool) -> impl Stream<Item = u32> {
    let start = Instant::now();
    futures::stream::iter(schedule)
        .then(move |&(at, item)| async move {
            sleep_until(start + ms(at)).await;
            item
        })
        .chain(futures::stream::pending().take(if ends { 0 } else { usize::MAX }))
}

/// The next `n` chunks of `stream`, each with the virtual time at which it came.
async fn next_chunks(
    mut stream: Pin<&mut impl Stream<Item = Vec<u32>>>,
    n: usize,
) -> Vec<(Duration, Vec<u32>)> {
    let start = Instant::now();
    let mut chunks = Vec::new();
    for _ in 0..n {
        match tokio::time::timeout(FOREVER, stream.next()).await {
            Ok(Some(chunk)) => chunks.push((start.elapsed(), chunk)),
            Ok(None) => panic!("the stream ended after {chunks:?}, {n} chunks were expected"),
            Err(_) => panic!(
                "after {chunks:?} no chunk came within an hour of virtual time: the adapter \
                 returned `Pending` and nothing woke it. Return `Pending` only after the \
                 inner stream or the `Sleep` returned `Pending` (that is what registers a \
                 wake-up)"
            ),
        }
    }
    chunks
}

#[tokio::test(start_paused = true)]
async fn t01_a_ready_stream_is_cut_into_full_chunks_at_once() {
    let chunks = pin!(ChunksTimeout::new(Strict::ending(1..=7), 3, PERIOD));
    assert_eq!(
        next_chunks(chunks, 3).await,
        vec![
            (ms(0), vec![1, 2, 3]),
            (ms(0), vec![4, 5, 6]),
            (ms(0), vec![7])
        ],
        "7 items, all ready, in chunks of at most 3: two full chunks at once, and the \
         last item at once too, since the stream ended. Take every ready item in a loop: \
         returning `Pending` after an item leaves nobody to wake the task"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_a_partial_chunk_comes_a_period_after_its_first_item() {
    let chunks = pin!(ChunksTimeout::new(
        scheduled(&[(0, 1), (10, 2), (200, 3)], false),
        10,
        PERIOD
    ));
    assert_eq!(
        next_chunks(chunks, 2).await,
        vec![(ms(50), vec![1, 2]), (ms(250), vec![3])],
        "items at 0, 10 and 200 ms, chunks of up to 10, a 50 ms period: [1, 2] at 50 ms \
         (a period after item 1), [3] at 250 ms. The timer must wake the task: poll the \
         `Sleep`, do not just look at the clock"
    );
}

#[tokio::test(start_paused = true)]
async fn t03_pending_only_with_a_wake_up_registered() {
    let (tx, rx) = mpsc::channel(8);
    for item in [1, 2] {
        tx.try_send(item).expect("room in the channel");
    }
    let mut chunks =
        tokio_test::task::spawn(ChunksTimeout::new(ReceiverStream::new(rx), 3, PERIOD));
    assert_pending!(
        chunks.poll_next(),
        "2 items of 3, and the period has not passed"
    );
    tx.try_send(3).expect("room in the channel");
    assert!(
        chunks.is_woken(),
        "a third item arrived, but the task was not woken: the adapter returned `Pending` \
         after taking an item, without polling the inner stream until *it* said `Pending` \
         (which is what registers the waker with the channel)"
    );
    assert_ready_eq!(chunks.poll_next(), Some(vec![1, 2, 3]));

    tx.try_send(4).expect("room in the channel");
    assert_pending!(chunks.poll_next(), "1 item of 3, the period just started");
    advance(PERIOD).await;
    assert!(
        chunks.is_woken(),
        "the period of the open chunk [4] has passed, but the task was not woken: the \
         `Sleep` must be polled (not merely asked `is_elapsed()`) for the timer to wake it"
    );
    assert_ready_eq!(chunks.poll_next(), Some(vec![4]));
}

#[tokio::test(start_paused = true)]
async fn t04_the_period_counts_from_the_chunks_first_item() {
    let chunks = pin!(ChunksTimeout::new(
        scheduled(
            &[(0, 1), (120, 2), (130, 3), (140, 4), (150, 5), (160, 6)],
            false
        ),
        10,
        PERIOD
    ));
    assert_eq!(
        next_chunks(chunks, 2).await,
        vec![(ms(50), vec![1]), (ms(170), vec![2, 3, 4, 5, 6])],
        "item 1 at 0 ms is flushed at 50 ms; the next chunk opens with item 2 at 120 ms \
         and is flushed at 170 ms with what came by then. Not on a clock's ticks (50, 100, \
         150 ms), and not re-armed by every item (then a steady trickle never flushes)"
    );
}

#[tokio::test(start_paused = true)]
async fn t05_the_end_flushes_the_rest_at_once_and_stays_ended() {
    let chunks = pin!(ChunksTimeout::new(
        scheduled(&[(0, 1), (10, 2)], true),
        10,
        PERIOD
    ));
    assert_eq!(
        next_chunks(chunks, 1).await,
        vec![(ms(10), vec![1, 2])],
        "the inner stream ended at 10 ms: the partial chunk [1, 2] comes at once, not at \
         the deadline, and is not lost"
    );

    let mut chunks = pin!(ChunksTimeout::new(Strict::ending(1..=4), 3, PERIOD));
    assert_eq!(chunks.next().await, Some(vec![1, 2, 3]));
    assert_eq!(
        chunks.next().await,
        Some(vec![4]),
        "the end flushes the last, partial chunk"
    );
    assert_eq!(chunks.next().await, None, "then the stream ends");
    assert_eq!(
        chunks.next().await,
        None,
        "and keeps answering `None`, without polling the inner stream again"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_size_hint_counts_chunks_honestly() {
    let mut chunks = pin!(ChunksTimeout::new(Strict::ending(1..=7), 3, PERIOD));
    assert_eq!(
        chunks.size_hint(),
        (3, Some(7)),
        "7 items to come, in chunks of at most 3: at least 3 chunks (ceil(7 / 3)); and up \
         to 7, one item each, since a timer may flush a chunk of one. The inner stream's \
         hint counts items, not chunks"
    );
    chunks.next().await;
    assert_eq!(
        chunks.size_hint(),
        (2, Some(4)),
        "4 items left: 2 to 4 chunks"
    );
    while chunks.next().await.is_some() {}
    assert_eq!(
        chunks.size_hint(),
        (0, Some(0)),
        "an ended stream has no chunk left"
    );

    let open = Strict {
        items: [1, 2].into(),
        ends: false,
        more: Some(2),
        ended: false,
    };
    let mut chunks = tokio_test::task::spawn(ChunksTimeout::new(open, 3, PERIOD));
    assert_pending!(chunks.poll_next());
    assert_eq!(
        chunks.size_hint(),
        (1, Some(3)),
        "2 items wait in the open chunk and the inner stream may give 2 more: at least 1 \
         chunk (the open one), at most 3 (the open one, then one per item)"
    );
}

/// A [`Scripted`] stream's plan and what it has done so far, shared with the test.
struct Script {
    items: usize,
    ends: bool,
    /// How far below and above the items left its `size_hint` says.
    slack: (usize, usize),
    yielded: Cell<usize>,
    ended: Cell<bool>,
}

impl Script {
    /// Honest but loose: `slack.0` below and `slack.1` above the items left, no upper
    /// bound if the stream never ends; `(0, Some(0))` after its end.
    fn hint(&self) -> (usize, Option<usize>) {
        if self.ended.get() {
            return (0, Some(0));
        }
        let left = self.items - self.yielded.get();
        let upper = self.ends.then_some(left + self.slack.1);
        (left.saturating_sub(self.slack.0), upper)
    }
}

/// A stream that yields `1, 2, …` at the instants of `arrivals` (several at one instant:
/// a burst, all ready at once), then ends at `end` (never for `None`). It panics if
/// polled after its `None`. Its `size_hint` is [`Script::hint`].
struct Scripted {
    arrivals: VecDeque<Instant>,
    end: Option<Instant>,
    timer: Pin<Box<tokio::time::Sleep>>,
    script: Rc<Script>,
}

impl Scripted {
    fn new(arrivals: &[u64], end: Option<u64>, slack: (usize, usize)) -> (Self, Rc<Script>) {
        let start = Instant::now();
        let script = Rc::new(Script {
            items: arrivals.len(),
            ends: end.is_some(),
            slack,
            yielded: Cell::new(0),
            ended: Cell::new(false),
        });
        let stream = Scripted {
            arrivals: arrivals.iter().map(|&at| start + ms(at)).collect(),
            end: end.map(|end| start + ms(end)),
            timer: Box::pin(tokio::time::sleep_until(start)),
            script: script.clone(),
        };
        (stream, script)
    }
}

impl Stream for Scripted {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        assert!(
            !self.script.ended.get(),
            "the inner stream was polled again after it returned `None`: a stream may panic \
             or misbehave then. Remember that it ended, and answer `None` yourself"
        );
        let Some(next) = self.arrivals.front().copied().or(self.end) else {
            return Poll::Pending; // the stream never ends, and no item will come
        };
        self.timer.as_mut().reset(next);
        if self.timer.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        if self.arrivals.pop_front().is_some() {
            let n = self.script.yielded.get() + 1;
            self.script.yielded.set(n);
            return Poll::Ready(Some(u32::try_from(n).expect("a few items")));
        }
        self.script.ended.set(true);
        Poll::Ready(None)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.script.hint()
    }
}

/// The chunks the lesson promises for items `1, 2, …` arriving at `arrivals` ms, chunks
/// of at most `max`, a `period` in ms, the end at `end` ms: each with the instant it is
/// due. `None` for a schedule with a tie (an item arriving at the very instant an open
/// chunk is due, which may join it or open the next one).
fn promised_chunks(
    max: usize,
    period: u64,
    arrivals: &[u64],
    end: Option<u64>,
) -> Option<Vec<(u64, Vec<u32>)>> {
    let mut chunks = Vec::new();
    let mut chunk = Vec::new();
    let mut opened = None;
    for (n, &at) in (1..).zip(arrivals) {
        if let Some(opened) = opened {
            let due = opened + period;
            if due == at {
                return None;
            }
            if due < at {
                chunks.push((due, std::mem::take(&mut chunk)));
            }
        }
        if chunk.is_empty() {
            opened = Some(at);
        }
        chunk.push(n);
        if chunk.len() == max {
            chunks.push((at, std::mem::take(&mut chunk)));
            opened = None;
        }
    }
    if let Some(opened) = opened.filter(|_| !chunk.is_empty()) {
        let due = opened + period;
        chunks.push((end.map_or(due, |end| end.min(due)), chunk));
    }
    Some(chunks)
}

/// The `size_hint` the contract asks for, from the inner stream's and the items the
/// adapter holds.
fn promised_hint(
    inner: (usize, Option<usize>),
    buffered: usize,
    max: usize,
) -> (usize, Option<usize>) {
    let open = usize::from(buffered > 0);
    (
        (inner.0 + buffered).div_ceil(max),
        inner.1.map(|upper| upper + open),
    )
}

/// Runs `ChunksTimeout` over a [`Scripted`] stream and checks, chunk by chunk, each
/// chunk and its instant, the `size_hint` between chunks, the end, and that nothing
/// comes after the last promised chunk (no empty chunk from a stale timer).
async fn check_chunks(
    max: usize,
    period: u64,
    arrivals: Vec<u64>,
    end: Option<u64>,
    slack: (usize, usize),
) -> Result<(), String> {
    let Some(promised) = promised_chunks(max, period, &arrivals, end) else {
        return Ok(());
    };
    let ending = end.map_or("never ends".into(), |end| format!("ends at {end} ms"));
    let case = format!(
        "items 1, 2, … arriving at {arrivals:?} ms, chunks of at most {max}, a {period} ms \
         period, the inner stream {ending}: the chunks due are {promised:?} (ms, items)"
    );
    let (inner, script) = Scripted::new(&arrivals, end, slack);
    let mut chunks = pin!(ChunksTimeout::new(inner, max, ms(period)));
    let start = Instant::now();
    let mut emitted = 0;
    let mut seen = Vec::new();
    for (due, chunk) in &promised {
        let hint = chunks.size_hint();
        let buffered = script.yielded.get() - emitted;
        let expected = promised_hint(script.hint(), buffered, max);
        if hint != expected {
            return Err(format!(
                "{case}. After the chunks {seen:?}, with {buffered} item(s) held in the open \
                 chunk and an inner stream whose hint is {:?}, size_hint() must be \
                 {expected:?} (lower: ceil((held + inner lower) / max); upper: inner upper \
                 + 1 for an open chunk); it is {hint:?}",
                script.hint()
            ));
        }
        let next = tokio::time::timeout(FOREVER, chunks.next()).await;
        let at = start.elapsed().as_millis();
        match next {
            Ok(Some(got)) if got == *chunk && at == u128::from(*due) => {
                emitted += got.len();
                seen.push((at, got));
            }
            Ok(Some(got)) if got.is_empty() => {
                return Err(format!(
                    "{case}. After {seen:?}, an empty chunk came at {at} ms: no chunk is ever \
                     empty. A timer left armed once its chunk went out (full, or at the end) \
                     fires over nothing: disarm it"
                ));
            }
            Ok(got) => {
                return Err(format!(
                    "{case}. After {seen:?}, the next chunk is {chunk:?} at {due} ms; the \
                     adapter gave {got:?} at {at} ms"
                ));
            }
            Err(_) => {
                return Err(format!(
                    "{case}. After {seen:?}, no chunk came within an hour of virtual time \
                     ({chunk:?} was due at {due} ms): the adapter returned `Pending` and \
                     nothing woke it"
                ));
            }
        }
    }
    let next = tokio::time::timeout(FOREVER, chunks.next()).await;
    let at = start.elapsed().as_millis();
    match (end, next) {
        (Some(end), Ok(None)) if at == u128::from(end) => {}
        (None, Err(_)) => return Ok(()),
        (_, next) => {
            let expected = end.map_or("nothing ever again".into(), |end| {
                format!("None at {end} ms")
            });
            return Err(format!(
                "{case}. After all of them, {seen:?}, the adapter must give {expected}; it \
                 gave {next:?} (at {at} ms; `Err(Elapsed)`: nothing within an hour). No chunk is \
                 ever empty: a timer left armed once its chunk went out fires over nothing"
            ));
        }
    }
    if chunks.size_hint() != (0, Some(0)) {
        return Err(format!(
            "{case}. After the end, size_hint() must be (0, Some(0)); it is {:?}",
            chunks.size_hint()
        ));
    }
    match chunks.next().await {
        None => Ok(()),
        Some(chunk) => Err(format!(
            "{case}. After its `None`, the adapter gave {chunk:?}: it must answer `None` for \
             ever"
        )),
    }
}

#[test]
fn t07_any_schedule_chunks_by_size_or_time_and_never_an_empty_one() {
    use proptest::prelude::*;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime");
    // Gaps between items: 0 (a burst, up to several chunks at once), short, or longer
    // than a period. The end: right after the last item, later, or never.
    let gaps = proptest::collection::vec(prop_oneof![Just(0u64), 0u64..30, 0u64..200], 0..14);
    let case = (
        1usize..5,
        prop_oneof![1 => Just(0u64), 4 => 1u64..100],
        gaps,
        proptest::option::of(prop_oneof![Just(0u64), 0u64..200]),
        (0usize..3, 0usize..3),
    )
        .prop_map(|(max, period, gaps, end_after, slack)| {
            let arrivals: Vec<u64> = gaps
                .iter()
                .scan(0, |at, gap| {
                    *at += gap;
                    Some(*at)
                })
                .collect();
            let last = arrivals.last().copied().unwrap_or(0);
            (
                max,
                period,
                arrivals,
                end_after.map(|after| last + after),
                slack,
            )
        });
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 300,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1002),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })
    .run(&case, |(max, period, arrivals, end, slack)| {
        runtime
            .block_on(check_chunks(max, period, arrivals, end, slack))
            .map_err(TestCaseError::fail)
    })
    .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

/// A stream that yields `items` ready items, then stays pending, and claims `hint` as
/// its `size_hint` whatever it has yielded: a hint at the very top of `usize`.
struct Hinted {
    items: u32,
    hint: (usize, Option<usize>),
}

impl Stream for Hinted {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u32>> {
        if self.items == 0 {
            return Poll::Pending;
        }
        self.items -= 1;
        Poll::Ready(Some(self.items))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.hint
    }
}

#[tokio::test(start_paused = true)]
async fn t08_size_hint_at_the_limits_of_usize_does_not_overflow() {
    for (max, held, hint) in [
        (3, 0, (usize::MAX, Some(usize::MAX))),
        (3, 2, (usize::MAX, Some(usize::MAX))),
        (3, 2, (usize::MAX - 1, Some(usize::MAX))),
        (1, 0, (usize::MAX, None)),
        (4, 1, (usize::MAX, None)),
        (2, 1, (0, Some(usize::MAX))),
    ] {
        let inner = Hinted { items: held, hint };
        let mut chunks = tokio_test::task::spawn(ChunksTimeout::new(inner, max, PERIOD));
        assert_pending!(chunks.poll_next(), "{held} item(s) of {max}: no chunk yet");
        let held = usize::try_from(held).expect("a few items");
        let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            chunks.enter(|_, chunks| chunks.size_hint())
        }))
        .unwrap_or_else(|_| {
            panic!(
                "size_hint() panicked with {held} item(s) held, chunks of {max}, and an inner \
                 hint of {hint:?}: an inner hint may be as large as usize::MAX, so add with \
                 `saturating_add` (lower) and `checked_add` (upper)"
            )
        });
        // The exact lower bound, ceil((held + inner lower) / max), where it fits; the
        // saturated sum divided is honest too.
        let exact = (hint.0 as u128 + held as u128).div_ceil(max as u128);
        let lowest = hint.0.saturating_add(held).div_ceil(max);
        let upper = hint
            .1
            .and_then(|upper| upper.checked_add(usize::from(held > 0)));
        assert!(
            (lowest as u128..=exact).contains(&(got.0 as u128)) && got.1 == upper,
            "{held} item(s) held, chunks of {max}, an inner hint of {hint:?}: size_hint() \
             must be ({lowest}..={exact}, {upper:?}): the lower bound is \
             ceil((held + inner lower) / max), with the sum saturating at usize::MAX, and an \
             upper bound that does not fit in a usize is no bound, `None`; it is {got:?}"
        );
    }
}
