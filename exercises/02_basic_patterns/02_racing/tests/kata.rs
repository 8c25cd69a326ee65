//! Racing with `select!`: the first source wins, the loser is dropped, a deadline is a
//! third contestant.
//!
//! Wrong answers these tests reject: each is a fixture in the solution's `wrong/`
//! folder, which `cargo xtask verify` runs against these tests, twice.
//! - `database_labelled_cache` (t02): the database branch also says `Source::Cache`
//! - `labels_swapped` (t01, t02): each branch reports the other source
//! - `join_then_pick_the_cache` (t02, t03, t04): `join!` both, report the cache: waits for the loser
//! - `awaits_cache_first` (t02): the cache awaited first, the database only after it
//! - `deadline_ignored` (t05, t06): the plain race, with no timer: never fails
//! - `deadline_checked_after_the_race` (t05, t06): the clock checked after the race: waits past the deadline
//! - `sleeps_until_the_deadline_first` (t05, t06, t07): sleeps for the deadline, then races
//! - `empty_cache_answer_is_miss` (t08): an empty answer from the cache is taken for a miss, and the race waits for the database
//! - `zero_deadline_means_no_limit` (t08): a zero deadline is taken for "no limit"
//!
//! Blind answers: 6 tried, 3 passed before this test file caught them (2026-12): the
//! two above, and `deadline_checked_first_biased` (`biased;` with the deadline first,
//! so an answer at exactly the deadline loses). That one is not wrong: a tie is a coin
//! toss for `select!`, the lesson now says an answer at exactly the deadline may go
//! either way, and no test samples a tie. t08 runs every schedule of the two sources
//! (at their first poll, at 100, 200, 300 ms, never) against every deadline (none, 0,
//! 50, 150, 250, 350 ms), with empty answers too, skipping the ties.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use racing::{DeadlineExceeded, Fetched, Source, race, race_with_deadline};
use timeline::Timeline;
use tokio::time::{Instant, sleep};

/// What the tests see of one source: was its future dropped, did it finish its work,
/// and on the timeline, when it ran and whether it was cut off.
#[derive(Clone)]
struct Probe {
    dropped: Rc<Cell<bool>>,
    finished: Rc<Cell<bool>>,
    timeline: Timeline,
    label: &'static str,
}

/// The cache's probe and the database's, recording on one timeline.
fn probes(timeline: &Timeline) -> (Probe, Probe) {
    let probe = |label| Probe {
        dropped: Rc::default(),
        finished: Rc::default(),
        timeline: timeline.clone(),
        label,
    };
    (probe("cache"), probe("database"))
}

/// Sets its flag when dropped, however the future holding it ends.
struct DropGuard(Rc<Cell<bool>>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// A source that answers `value` after `delay`, reporting to `probe`.
fn source(value: &str, delay: Duration, probe: &Probe) -> impl Future<Output = String> {
    let value = value.to_string();
    let guard = DropGuard(probe.dropped.clone());
    let finished = probe.finished.clone();
    let (timeline, label) = (probe.timeline.clone(), probe.label);
    async move {
        let _guard = guard;
        let work = timeline.start(label);
        sleep(delay).await;
        work.end();
        finished.set(true);
        value
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test(start_paused = true)]
async fn t01_a_faster_cache_wins() {
    let timeline = Timeline::new();
    let (c, d) = probes(&timeline);
    let got = race(
        source("from cache", ms(10), &c),
        source("from db", ms(100), &d),
    )
    .await;
    assert_eq!(
        got,
        Fetched {
            value: "from cache".into(),
            source: Source::Cache
        },
        "the cache answers after 10 ms, the database after 100 ms: the cache wins"
    );
}

#[tokio::test(start_paused = true)]
async fn t02_a_faster_database_wins() {
    let timeline = Timeline::new();
    timeline.expect("the database answers at 10 ms and wins; the cache is cut off then");
    let (c, d) = probes(&timeline);
    let got = race(
        source("from cache", ms(100), &c),
        source("from db", ms(10), &d),
    )
    .await;
    assert_eq!(
        got,
        Fetched {
            value: "from db".into(),
            source: Source::Database
        },
        "the database answers first this time, so it wins and the result says so: \
         the winner is whichever branch of `select!` completes first, not the first one written\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t03_the_race_ends_as_soon_as_the_winner_answers() {
    let timeline = Timeline::new();
    timeline.expect("the race ends at 10 ms, when the cache answers; the database is cut off then");
    let (c, d) = probes(&timeline);
    let start = Instant::now();
    race(
        source("from cache", ms(10), &c),
        source("from db", ms(100), &d),
    )
    .await;
    let took = start.elapsed();
    assert_eq!(
        took,
        ms(10),
        "the race should end when the first source answers, at 10 ms of virtual time; it \
         took {took:?}: something waited for the slower source too\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t04_the_loser_is_dropped_without_finishing() {
    let timeline = Timeline::new();
    timeline.expect("the database is cut off at 10 ms, when the cache wins");
    let (c, d) = probes(&timeline);
    race(
        source("from cache", ms(10), &c),
        source("from db", ms(100), &d),
    )
    .await;
    assert!(
        d.dropped.get(),
        "when `race` returns, the losing database future must have been dropped: the \
         losing branches of `select!` are cancelled by dropping them\n\n{}",
        timeline.render()
    );
    assert!(
        !d.finished.get(),
        "the losing database future ran to completion: it should have been dropped at \
         10 ms, long before its 100 ms were up\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t05_the_deadline_ends_a_race_nobody_wins_in_time() {
    let timeline = Timeline::new();
    timeline.expect("both sources cut off at the 1000 ms deadline");
    let (c, d) = probes(&timeline);
    let start = Instant::now();
    let got = race_with_deadline(
        source("from cache", ms(2000), &c),
        source("from db", ms(3000), &d),
        ms(1000),
    )
    .await;
    let took = start.elapsed();
    assert_eq!(
        got,
        Err(DeadlineExceeded),
        "both sources are slower than the 1 s deadline, so the race must fail\n\n{}",
        timeline.render()
    );
    assert_eq!(
        took,
        ms(1000),
        "the failure should come exactly at the deadline, 1 s of virtual time; it came after {took:?}\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t06_the_deadline_drops_both_sources() {
    let timeline = Timeline::new();
    timeline.expect("both sources cut off at the 1000 ms deadline");
    let (c, d) = probes(&timeline);
    let _ = race_with_deadline(
        source("from cache", ms(2000), &c),
        source("from db", ms(3000), &d),
        ms(1000),
    )
    .await;
    assert!(
        c.dropped.get() && d.dropped.get(),
        "when the deadline wins, both sources must be dropped (cancelled), not left running\n\n{}",
        timeline.render()
    );
    assert!(
        !c.finished.get() && !d.finished.get(),
        "a source ran to completion after the deadline had already passed\n\n{}",
        timeline.render()
    );
}

#[tokio::test(start_paused = true)]
async fn t07_a_source_within_the_deadline_answers_at_once() {
    let timeline = Timeline::new();
    timeline.expect("the database answers at 200 ms; the cache is cut off then");
    let (c, d) = probes(&timeline);
    let start = Instant::now();
    let got = race_with_deadline(
        source("from cache", ms(5000), &c),
        source("from db", ms(200), &d),
        ms(1000),
    )
    .await;
    let took = start.elapsed();
    assert_eq!(
        got,
        Ok(Fetched {
            value: "from db".into(),
            source: Source::Database
        }),
        "the database answers at 200 ms, inside the 1 s deadline: it wins\n\n{}",
        timeline.render()
    );
    assert_eq!(
        took,
        ms(200),
        "the answer should come at 200 ms, as soon as the database has it; it came after \
         {took:?}: the deadline is a limit, not a wait\n\n{}",
        timeline.render()
    );
    assert!(
        c.dropped.get(),
        "the slow cache, the loser, must be dropped\n\n{}",
        timeline.render()
    );
}

/// When a source of t08 answers: at its first poll, after a while, or never.
#[derive(Clone, Copy, Debug, PartialEq)]
enum When {
    FirstPoll,
    After(u64),
    Never,
}

impl When {
    fn ms(self) -> Option<u64> {
        match self {
            When::FirstPoll => Some(0),
            When::After(n) => Some(n),
            When::Never => None,
        }
    }
}

/// A source of t08: `value` at `when`, its drop noted in `dropped`.
fn scheduled(
    value: &'static str,
    when: When,
    dropped: &Rc<Cell<bool>>,
) -> impl Future<Output = String> {
    let guard = DropGuard(dropped.clone());
    async move {
        let _guard = guard;
        match when {
            When::FirstPoll => {}
            When::After(n) => sleep(ms(n)).await,
            When::Never => std::future::pending::<()>().await,
        }
        value.to_string()
    }
}

#[tokio::test(start_paused = true)]
async fn t08_every_schedule_of_two_sources_and_a_deadline() {
    let times = [
        When::FirstPoll,
        When::After(100),
        When::After(200),
        When::After(300),
        When::Never,
    ];
    for cache_at in times {
        for db_at in times {
            for deadline in [None, Some(0), Some(50), Some(150), Some(250), Some(350)] {
                let (cache_ms, db_ms) = (cache_at.ms(), db_at.ms());
                // Ties are coin tosses: never sampled.
                if cache_ms.is_some() && cache_ms == db_ms
                    || deadline.is_some() && (deadline == cache_ms || deadline == db_ms)
                    || deadline.is_none() && cache_ms.is_none() && db_ms.is_none()
                {
                    continue;
                }
                for (cache_value, db_value) in [("", "db"), ("cached", "")] {
                    let case = format!(
                        "the cache answering {cache_value:?} at {cache_at:?}, the database \
                         {db_value:?} at {db_at:?}, deadline {deadline:?} ms"
                    );
                    let (cache_dropped, db_dropped) = (Rc::default(), Rc::default());
                    let cache = scheduled(cache_value, cache_at, &cache_dropped);
                    let db = scheduled(db_value, db_at, &db_dropped);
                    let start = Instant::now();
                    let got = match deadline {
                        None => Ok(race(cache, db).await),
                        Some(n) => race_with_deadline(cache, db, ms(n)).await,
                    };
                    let elapsed = start.elapsed();
                    let first = [
                        (cache_ms, Source::Cache, cache_value),
                        (db_ms, Source::Database, db_value),
                    ]
                    .into_iter()
                    .filter_map(|(at, source, value)| Some((at?, source, value)))
                    .min_by_key(|&(at, ..)| at);
                    let (expected, at) = match (first, deadline) {
                        (Some((at, source, value)), d) if d.is_none_or(|d| at < d) => (
                            Ok(Fetched {
                                value: value.to_string(),
                                source,
                            }),
                            at,
                        ),
                        (_, d) => (Err(DeadlineExceeded), d.expect("skipped above")),
                    };
                    assert_eq!(
                        got, expected,
                        "{case}: the first answer wins, whatever it is (an empty string is an \
                         answer); with no answer before the deadline (a zero deadline has \
                         passed at once), DeadlineExceeded"
                    );
                    assert_eq!(
                        elapsed,
                        ms(at),
                        "{case}: the race should end at {at} ms, as soon as it is decided"
                    );
                    assert!(
                        cache_dropped.get() && db_dropped.get(),
                        "{case}: both sources are dropped when the race ends"
                    );
                }
            }
        }
    }
}
