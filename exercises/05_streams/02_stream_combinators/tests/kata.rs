//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `take_before_filter` (t01, t02): `take(10)` before `filter`, five even squares
//! - `no_take` (t01, t02): no `take(10)`, every even square of the input
//! - `with_names_buffered` (t03, t04): `buffered(4)`, lookups start before their items are asked for
//! - `first_above_collects` (t05): filters and collects, then takes the first: pulls the whole stream
//! - `first_above_at_least` (t05): `>=`, a value equal to the limit is not above it
//! - `until_quiet_skips_the_silence` (t07): `filter_map(Result::ok)`, skips the silence and goes on
//! - `until_quiet_one_deadline` (t06, t07): one deadline for the whole stream instead of per gap
//! - `batches_by_size_only` (t09): `chunks`, a lone item waits until the end
//! - `batches_by_time_only` (t08): ignores `max_items`, a full batch waits for the timer
//! - `square_before_filter` (t10, t11): squares every number, then keeps the even squares: an odd number's square overflows
//! - `quiet_timer_wins_tie` (t12, t13): a `biased` `select!` of a fresh `sleep(quiet)` first, a gap of exactly `quiet` ends the stream
//!
//! Blind answers: 8 tried, 2 passed before this test file caught them (2026-12):
//! `square_before_filter` (every test used small numbers) and `quiet_timer_wins_tie` (a
//! gap of exactly `quiet` was never tried; the doc said "longer than", now in the lesson
//! too). A `max_items` of 0, which panicked in the reference, now counts as 1 (t14).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use stream_combinators::{batches, even_squares, first_above, until_quiet, with_names};
use timeline::Timeline;
use tokio::time::{Instant, sleep};
use tokio_stream::{Stream, StreamExt};

/// A learner's hang becomes a verdict instead of a frozen test (virtual time: instant).
async fn within_an_hour<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(3600), fut)
        .await
        .expect("no result within an hour of virtual time: the stream never ends")
}

/// A source that counts how many items were pulled from it.
fn counted(
    range: std::ops::Range<u64>,
    pulled: &Arc<AtomicUsize>,
) -> impl Stream<Item = u64> + use<> {
    let pulled = pulled.clone();
    tokio_stream::iter(range).map(move |n| {
        pulled.fetch_add(1, Ordering::SeqCst);
        n
    })
}

/// A source that yields `0, 1, 2, …` after the given gaps (in ms) of virtual time.
/// It is not `Unpin`: `then` holds an `async` block. Each gap is drawn on `timeline`
/// as `item i`, from when the item was asked for to when it came, cut off if the
/// stream was dropped while waiting for it.
fn timed(timeline: &Timeline, gaps_ms: &[u64]) -> impl Stream<Item = u64> + use<> {
    let gaps: Vec<u64> = gaps_ms.to_vec();
    let timeline = timeline.clone();
    tokio_stream::iter(gaps.into_iter().enumerate()).then(move |(i, gap)| {
        let timeline = timeline.clone();
        async move {
            timeline
                .run(format!("item {i}"), sleep(Duration::from_millis(gap)))
                .await;
            i as u64
        }
    })
}

/// Collects `(item, virtual ms since start)` pairs, each drawn on `timeline` as an
/// instant of `yielded`.
async fn stamped<T>(timeline: &Timeline, stream: impl Stream<Item = T>) -> Vec<(T, u64)> {
    let start = Instant::now();
    let stamped = stream.map(|item| {
        timeline.start("yielded").end();
        (item, start.elapsed().as_millis() as u64)
    });
    within_an_hour(stamped.collect()).await
}

#[tokio::test]
async fn t01_even_squares_is_the_seed_pipeline() {
    let squares: Vec<u64> =
        within_an_hour(even_squares(tokio_stream::iter(0..100)).collect()).await;
    assert_eq!(
        squares,
        [0, 4, 16, 36, 64, 100, 144, 196, 256, 324],
        "keep the even numbers, square them, and take the first ten results: filter, map, \
         take, in that order (take first and you get only five)"
    );
}

#[tokio::test]
async fn t02_even_squares_pulls_only_what_it_needs() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let squares: Vec<u64> = within_an_hour(even_squares(counted(0..100, &pulled)).collect()).await;
    assert_eq!(
        squares.len(),
        10,
        "even_squares should yield ten squares and then end: `take(10)` ends the stream"
    );
    assert_eq!(
        pulled.load(Ordering::SeqCst),
        19,
        "the 10th even number is 18, so 19 numbers (0..=18) are enough: stream adapters are \
         lazy, and `take` stops pulling once it has its ten. Pulled: {}",
        pulled.load(Ordering::SeqCst)
    );
}

#[tokio::test(start_paused = true)]
async fn t03_with_names_awaits_each_lookup_in_order() {
    let timeline = Timeline::new();
    timeline
        .expect("sequential: each lookup starts when the one before it has yielded, 300 ms in all");
    let lookup = |id: u32| {
        let timeline = timeline.clone();
        async move {
            timeline
                .run(format!("lookup({id})"), sleep(Duration::from_millis(100)))
                .await;
            format!("user-{id}")
        }
    };
    let got = stamped(&timeline, with_names(tokio_stream::iter([3, 1, 2]), lookup)).await;
    assert_eq!(
        got,
        [
            ((3, "user-3".to_string()), 100),
            ((1, "user-1".to_string()), 200),
            ((2, "user-2".to_string()), 300),
        ],
        "`then` awaits the lookup of each id (100ms each) and yields (id, name) in the order \
         of the ids, one after the other\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_with_names_looks_up_only_when_asked() {
    let started = Arc::new(AtomicUsize::new(0));
    let timeline = Timeline::new();
    timeline.expect("lookup(1) alone, from 0 ms to 100 ms: nothing else was asked for");
    let lookup = {
        let started = started.clone();
        let timeline = timeline.clone();
        move |id: u32| {
            started.fetch_add(1, Ordering::SeqCst);
            let timeline = timeline.clone();
            async move {
                timeline
                    .run(format!("lookup({id})"), sleep(Duration::from_millis(100)))
                    .await;
                format!("user-{id}")
            }
        }
    };
    let names = with_names(tokio_stream::iter([1, 2, 3]), lookup);
    tokio::pin!(names);
    assert_eq!(
        started.load(Ordering::SeqCst),
        0,
        "creating the stream must not look anything up"
    );
    let first = within_an_hour(names.next()).await;
    assert_eq!(
        first,
        Some((1, "user-1".to_string())),
        "the first item asked for should be (1, \"user-1\"), once its lookup has been \
         awaited"
    );
    sleep(Duration::from_secs(1)).await;
    assert_eq!(
        started.load(Ordering::SeqCst),
        1,
        "only one item was asked for, so only one lookup may have started: a stream does its \
         work when polled, one item at a time\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_first_above_stops_at_the_first_match() {
    let pulled = Arc::new(AtomicUsize::new(0));
    // `then` with an async block: this stream is not Unpin, so it must be pinned to poll it.
    let values = {
        let pulled = pulled.clone();
        tokio_stream::iter([3u64, 8, 12, 40, 7]).then(move |v| {
            pulled.fetch_add(1, Ordering::SeqCst);
            async move { v }
        })
    };
    assert_eq!(
        within_an_hour(first_above(values, 10)).await,
        Some(12),
        "12 is the first value above 10"
    );
    assert_eq!(
        pulled.load(Ordering::SeqCst),
        3,
        "the answer was known after the 3rd value: stop pulling there"
    );
    let above = within_an_hour(first_above(tokio_stream::iter([5, 10, 11]), 10)).await;
    assert_eq!(
        above,
        Some(11),
        "10 is not above the limit of 10: the first value above it is 11"
    );
    let none = within_an_hour(first_above(timed(&Timeline::new(), &[10, 10]), 10)).await;
    assert_eq!(
        none, None,
        "no value above the limit: None once the stream ends"
    );
}

#[tokio::test(start_paused = true)]
async fn t06_until_quiet_keeps_a_stream_with_short_gaps() {
    let timeline = Timeline::new();
    timeline.expect("every item yielded as it comes: at 100, 250, 400 and 550 ms");
    let got = stamped(
        &timeline,
        until_quiet(
            timed(&timeline, &[100, 150, 150, 150]),
            Duration::from_millis(200),
        ),
    )
    .await;
    assert_eq!(
        got,
        [(0, 100), (1, 250), (2, 400), (3, 550)],
        "no gap is longer than 200ms: every item comes through, when it arrives. The limit \
         is per gap, not for the whole stream\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t07_until_quiet_ends_at_the_first_long_gap() {
    let timeline = Timeline::new();
    timeline.expect("items 0 and 1 yielded at 100 and 200 ms, item 2 cut off at 400 ms");
    let start = Instant::now();
    let got = stamped(
        &timeline,
        until_quiet(
            timed(&timeline, &[100, 100, 500, 100]),
            Duration::from_millis(200),
        ),
    )
    .await;
    assert_eq!(
        got,
        [(0, 100), (1, 200)],
        "after item 1 at 200ms the source was silent for more than 200ms: the stream ends \
         there. Items that come later are not part of it (skipping the Err(Elapsed) and \
         carrying on is not ending)\n\n{}",
        timeline.render()
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(400),
        "and it ends when the silence has lasted 200ms, at 400ms\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t08_batches_fill_up_by_size() {
    let timeline = Timeline::new();
    timeline.expect("a batch yielded at 30, 60 and 70 ms: when full, then when the source ends");
    let got = stamped(
        &timeline,
        batches(timed(&timeline, &[10; 7]), 3, Duration::from_secs(1)),
    )
    .await;
    assert_eq!(
        got,
        [(vec![0, 1, 2], 30), (vec![3, 4, 5], 60), (vec![6], 70)],
        "items come every 10ms and a batch holds 3: each batch goes out as soon as it is \
         full, and what is left goes out when the source ends, without waiting for the timer\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t09_batches_flush_by_time() {
    let timeline = Timeline::new();
    timeline.expect("a batch yielded at 110, 620 and 1030 ms: 100 ms after its first item");
    let got = stamped(
        &timeline,
        batches(
            timed(&timeline, &[10, 10, 500, 10, 500]),
            10,
            Duration::from_millis(100),
        ),
    )
    .await;
    assert_eq!(
        got,
        [(vec![0, 1], 110), (vec![2, 3], 620), (vec![4], 1030)],
        "a batch waits at most 100ms after its first item: [0, 1] leaves at 10 + 100 = 110ms \
         and [2, 3] at 520 + 100 = 620ms, although neither is full\n\n{}",
        timeline.render()
    );
}

/// The fixed seed and case count of this file's generated cases: the same cases on every
/// run, no failure files.
fn generated(cases: u32) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(0x0502),
        failure_persistence: None,
        ..Config::default()
    })
}

/// A current-thread runtime on virtual time, for generated cases.
fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
}

#[tokio::test]
async fn t10_even_squares_never_squares_an_odd_number() {
    // An odd number this large has a square far beyond u64: squaring it first panics
    // (overflow) where filtering first never looks at it.
    let huge_odd = u64::MAX;
    let input = [huge_odd, 2, (1 << 32) + 1, 4, huge_odd - 2];
    let squares: Vec<u64> = within_an_hour(even_squares(tokio_stream::iter(input)).collect()).await;
    assert_eq!(
        squares,
        [4, 16],
        "even_squares keeps the even numbers first and squares only those: an odd number \
         is never squared (the square of {huge_odd} overflows a u64)"
    );
}

#[test]
fn t11_even_squares_over_any_numbers() {
    use proptest::prelude::*;
    // Evens small enough to square, odds of any size, in any order, any length.
    let number = prop_oneof![
        (0u64..1 << 31).prop_map(|n| n * 2),
        any::<u64>().prop_map(|n| n | 1),
        0u64..20,
    ];
    let runtime = paused_runtime();
    generated(200)
        .run(&proptest::collection::vec(number, 0..40), |numbers| {
            let pulled = Arc::new(AtomicUsize::new(0));
            let source = {
                let pulled = pulled.clone();
                tokio_stream::iter(numbers.clone()).map(move |n| {
                    pulled.fetch_add(1, Ordering::SeqCst);
                    n
                })
            };
            let got: Vec<u64> = runtime.block_on(within_an_hour(even_squares(source).collect()));
            let evens: Vec<usize> = (0..numbers.len())
                .filter(|&i| numbers[i] % 2 == 0)
                .collect();
            let want: Vec<u64> = evens
                .iter()
                .take(10)
                .map(|&i| numbers[i] * numbers[i])
                .collect();
            let need = if evens.len() >= 10 {
                evens[9] + 1
            } else {
                numbers.len()
            };
            prop_assert_eq!(
                &got,
                &want,
                "numbers {:?}: the squares of the first ten even ones, in order",
                numbers
            );
            prop_assert_eq!(
                pulled.load(Ordering::SeqCst),
                need,
                "numbers {:?}: pull no more than needed, up to the tenth even number",
                numbers
            );
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

#[tokio::test(start_paused = true)]
async fn t12_until_quiet_a_gap_of_exactly_quiet_is_not_too_long() {
    let quiet = 200;
    // Every instant around the limit: a gap just under it, exactly it, just over it.
    for gap in [quiet - 1, quiet, quiet + 1] {
        let timeline = Timeline::new();
        let got = stamped(
            &timeline,
            until_quiet(
                timed(&timeline, &[100, gap, 100]),
                Duration::from_millis(quiet),
            ),
        )
        .await;
        let want: Vec<(u64, u64)> = if gap <= quiet {
            vec![(0, 100), (1, 100 + gap), (2, 200 + gap)]
        } else {
            vec![(0, 100)]
        };
        assert_eq!(
            got,
            want,
            "quiet is {quiet} ms and item 1 comes {gap} ms after item 0: the stream ends only \
             at a gap *longer* than quiet, so a gap of exactly {quiet} ms keeps it going (the \
             item that arrives as the timer runs out is taken)\n\n{}",
            timeline.render()
        );
    }
}

#[test]
fn t13_until_quiet_over_any_gaps() {
    use proptest::prelude::*;
    let runtime = paused_runtime();
    let cases =
        (proptest::collection::vec(0u64..400, 0..8), 0u64..300).prop_flat_map(|(gaps, quiet)| {
            // The limit itself, as a gap, is where answers go wrong: put it in often.
            let gaps = gaps
                .into_iter()
                .map(move |g| prop_oneof![Just(g), Just(quiet)])
                .collect::<Vec<_>>();
            (gaps, Just(quiet))
        });
    generated(200)
        .run(&cases, |(gaps, quiet)| {
            let (got, ended, timeline) = runtime.block_on(async {
                let timeline = Timeline::new();
                let start = Instant::now();
                let got = stamped(
                    &timeline,
                    until_quiet(timed(&timeline, &gaps), Duration::from_millis(quiet)),
                )
                .await;
                (got, start.elapsed().as_millis() as u64, timeline)
            });
            let mut want = Vec::new();
            let mut at = 0;
            let mut end = 0;
            for (i, &gap) in gaps.iter().enumerate() {
                if gap > quiet {
                    end = at + quiet;
                    break;
                }
                at += gap;
                want.push((i as u64, at));
                end = at;
            }
            prop_assert_eq!(
                (&got, ended),
                (&want, end),
                "gaps {:?} ms, quiet {} ms: the items until the first gap longer than quiet, \
                 each when it comes, and the end when that gap has lasted quiet (or when the \
                 source ends)\n\n{}",
                gaps,
                quiet,
                timeline.render()
            );
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("the smallest case that breaks the promise: {failure}"));
}

#[tokio::test(start_paused = true)]
async fn t14_batches_of_at_most_zero_items_count_as_one() {
    let timeline = Timeline::new();
    let got = stamped(
        &timeline,
        batches(timed(&timeline, &[10, 10]), 0, Duration::from_millis(100)),
    )
    .await;
    assert_eq!(
        got,
        [(vec![0], 10), (vec![1], 20)],
        "a max_items of 0 counts as 1: every item is a batch of its own, at once (a batch \
         of at most 0 items could never hold one)\n\n{}",
        timeline.render()
    );
}
