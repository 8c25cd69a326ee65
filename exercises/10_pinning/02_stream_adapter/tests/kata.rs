//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `pending_after_an_item` (t01, t03): polls the inner stream once per `poll_next` and returns `Pending` after an item, with no wake-up registered by the inner stream
//! - `timer_only_checked` (t02, t03): asks `Sleep::is_elapsed()` instead of polling the `Sleep`: nothing wakes the task at the deadline
//! - `timer_restarted_per_item` (t02, t04): re-arms the timer on every item (a debounce): a steady trickle is never flushed
//! - `ticking_interval` (t04): flushes on the ticks of an `Interval`, not a period after the chunk's first item
//! - `polls_after_the_end` (t05): no memory of the end: the inner stream is polled again after its `None`
//! - `drops_the_rest_at_the_end` (t01, t05): returns `None` at the end, losing the partial chunk
//! - `size_hint_of_the_inner_stream` (t06): forwards the inner stream's `size_hint`, which counts items, not chunks
//! - `size_hint_rounds_down` (t06): `lower / max + open chunk`, as tokio-stream's own `chunks_timeout` does: honest, but not the bound the contract asks for
//!
//! Mutants: cargo-mutants finds 13 viable (6 unviable), all killed.

use std::collections::VecDeque;
use std::pin::{Pin, pin};
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
