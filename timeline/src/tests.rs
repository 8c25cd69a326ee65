//! The drawings, exactly: virtual time makes every run the same.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::sleep;

use super::{MARKER, Style, Timeline};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn style(width: usize) -> Style {
    Style {
        width,
        ascii: false,
    }
}

async fn fetch_user(timeline: &Timeline, id: u32) {
    timeline
        .run(format!("fetch_user({id})"), sleep(ms(1000)))
        .await;
}

/// Two fetches, one after the other, as a learner's sequential answer runs them.
async fn sequential() -> Timeline {
    let timeline = Timeline::new();
    fetch_user(&timeline, 1).await;
    fetch_user(&timeline, 2).await;
    timeline.expect("concurrent would take 1000 ms");
    timeline
}

/// Ten 100 ms jobs, each on a task of its own, `permits` at a time, drawn against a
/// limit of 3.
async fn jobs(permits: usize) -> Timeline {
    let timeline = Timeline::new();
    timeline.limit(3);
    let semaphore = Arc::new(Semaphore::new(permits));
    let handles: Vec<_> = (1..=10)
        .map(|n| {
            let timeline = timeline.clone();
            let semaphore = semaphore.clone();
            tokio::spawn(async move {
                let _permit = semaphore.acquire().await.expect("never closed");
                timeline.run(format!("job({n})"), sleep(ms(100))).await;
            })
        })
        .collect();
    for handle in handles {
        handle.await.expect("no job panics");
    }
    timeline
}

/// `actual` is `expected`, every line fits `width` columns, the first line is the
/// runner's marker and no line is blank (a blank line would end the runner's block).
#[track_caller]
fn check(actual: &str, expected: &str, width: usize) {
    assert_eq!(actual, expected, "\n{actual}\n");
    assert!(actual.starts_with(MARKER), "{actual}");
    for line in actual.lines() {
        assert!(
            line.chars().count() <= width,
            "wider than {width}: {line:?}"
        );
        assert!(!line.trim().is_empty(), "a blank line: {actual:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_sequential_run_draws_one_bar_after_the_other() {
    let timeline = sequential().await;
    check(
        &timeline.render_with(style(100)),
        "\
virtual time   0 ms               500 ms             1000 ms            1500 ms            2000 ms
fetch_user(1)  ██████████████████████████████████████
fetch_user(2)                                        ██████████████████████████████████████
→ 2000 ms in all: fetch_user(2) started only after fetch_user(1) ended (sequential)
expected: concurrent would take 1000 ms",
        100,
    );
}

#[tokio::test(start_paused = true)]
async fn a_concurrent_run_draws_the_bars_side_by_side() {
    let timeline = Timeline::new();
    tokio::join!(fetch_user(&timeline, 1), fetch_user(&timeline, 2));
    check(
        &timeline.render_with(style(100)),
        "\
virtual time   0 ms           200 ms         400 ms         600 ms         800 ms         1000 ms
fetch_user(1)  ███████████████████████████████████████████████████████████████████████████
fetch_user(2)  ███████████████████████████████████████████████████████████████████████████
→ 1000 ms in all: fetch_user(1) and fetch_user(2) ran side by side (concurrent)",
        100,
    );
}

#[tokio::test(start_paused = true)]
async fn the_loser_of_a_race_is_marked_as_cut_off() {
    let timeline = Timeline::new();
    let cache = timeline.run("cache", sleep(ms(10)));
    let database = timeline.run("database", sleep(ms(100)));
    tokio::select! {
        () = cache => {}
        () = database => {}
    }
    check(
        &timeline.render_with(style(100)),
        "\
virtual time  0 ms    1 ms    2 ms    3 ms    4 ms    5 ms    6 ms    7 ms    8 ms    9 ms    10 ms
cache         ████████████████████████████████████████████████████████████████████████████████
database      ████████████████████████████████████████████████████████████████████████████████×
→ 10 ms in all: cache and database ran side by side (concurrent); database was cut off at 10 ms
  (cancelled)",
        100,
    );
}

#[tokio::test(start_paused = true)]
async fn work_restarted_where_it_was_cut_off_keeps_every_cut_mark() {
    let timeline = Timeline::new();
    for _ in 0..2 {
        let restarted = timeline.start("download(a)");
        sleep(ms(30)).await;
        drop(restarted);
    }
    timeline.run("download(a)", sleep(ms(100))).await;
    let drawn = timeline.render_with(style(100));
    let row = drawn
        .lines()
        .find(|line| line.starts_with("download(a)"))
        .expect("the row");
    assert_eq!(row.matches('×').count(), 2, "\n{drawn}\n");
    let summary = drawn.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        summary.contains("cut off (cancelled): download(a) at 30 ms and download(a) at 60 ms"),
        "\n{drawn}\n"
    );
}

#[tokio::test(start_paused = true)]
async fn a_limit_of_3_with_10_jobs_draws_the_gauge() {
    check(
        &jobs(3).await.render_with(style(100)),
        "\
virtual time  0 ms      50 ms     100 ms    150 ms    200 ms    250 ms    300 ms    350 ms    400 ms
job(1)        ████████████████████
job(2)        ████████████████████
job(3)        ████████████████████
job(4)                            ████████████████████
job(5)                            ████████████████████
job(6)                            ████████████████████
job(7)                                                ████████████████████
job(8)                                                ████████████████████
job(9)                                                ████████████████████
job(10)                                                                   ████████████████████
in flight     33333333333333333333333333333333333333333333333333333333333311111111111111111111
→ 400 ms in all: at most 3 in flight at once, never more than the limit of 3",
        100,
    );
}

#[tokio::test(start_paused = true)]
async fn a_limit_ignored_shows_in_the_gauge() {
    check(
        &jobs(10).await.render_with(style(60)),
        "\
virtual time  0 ms    20 ms   40 ms   60 ms   80 ms   100 ms
job(1)        ████████████████████████████████████████
job(2)        ████████████████████████████████████████
job(3)        ████████████████████████████████████████
job(4)        ████████████████████████████████████████
job(5)        ████████████████████████████████████████
job(6)        ████████████████████████████████████████
job(7)        ████████████████████████████████████████
job(8)        ████████████████████████████████████████
job(9)        ████████████████████████████████████████
job(10)       ████████████████████████████████████████
in flight     ++++++++++++++++++++++++++++++++++++++++
→ 100 ms in all: 10 in flight at once, over the limit of 3",
        60,
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_draws_its_attempts_and_the_waits_between_them() {
    let timeline = Timeline::new();
    for wait in [100, 200, 400, 0] {
        let attempt = timeline.attempt("charge(card)");
        sleep(ms(50)).await;
        attempt.end();
        sleep(ms(wait)).await;
    }
    check(
        &timeline.render_with(style(100)),
        "\
virtual time  0 ms    100 ms  200 ms  300 ms  400 ms  500 ms  600 ms  700 ms  800 ms  900 ms
charge(card)  ████········████················████································████
→ 900 ms in all: 4 attempts of charge(card), waiting 100 ms, 200 ms and 400 ms between them",
        100,
    );
}

#[tokio::test(start_paused = true)]
async fn a_wait_after_the_last_attempt_shows_as_time_with_nothing_running() {
    let timeline = Timeline::new();
    for wait in [100, 200] {
        let attempt = timeline.attempt("charge(card)");
        sleep(ms(50)).await;
        attempt.end();
        sleep(ms(wait)).await;
    }
    check(
        &timeline.render_with(style(80)),
        "\
virtual time  0 ms           100 ms         200 ms         300 ms         400 ms
charge(card)  ████████···············███████
→ 400 ms in all: 2 attempts of charge(card), waiting 100 ms between them; then
  200 ms with nothing running",
        80,
    );
}

#[tokio::test(start_paused = true)]
async fn width_40_keeps_every_line_within_40_columns() {
    check(
        &sequential().await.render_with(style(40)),
        "\
virtual time   0 ms     1000 ms  2000 ms
fetch_user(1)  █████████
fetch_user(2)           █████████
→ 2000 ms in all: fetch_user(2) started
  only after fetch_user(1) ended
  (sequential)
expected: concurrent would take 1000 ms",
        40,
    );
}

#[tokio::test(start_paused = true)]
async fn width_200_uses_the_room_with_finer_ticks() {
    check(
        &sequential().await.render_with(style(200)),
        "\
virtual time   0 ms             200 ms           400 ms           600 ms           800 ms           1000 ms          1200 ms          1400 ms          1600 ms          1800 ms          2000 ms
fetch_user(1)  █████████████████████████████████████████████████████████████████████████████████████
fetch_user(2)                                                                                       █████████████████████████████████████████████████████████████████████████████████████
→ 2000 ms in all: fetch_user(2) started only after fetch_user(1) ended (sequential)
expected: concurrent would take 1000 ms",
        200,
    );
}

#[tokio::test(start_paused = true)]
async fn no_color_draws_in_plain_ascii() {
    let ascii = Style::from_vars(Some("1"), Some("xterm-256color"), None);
    assert_eq!(
        ascii,
        Style {
            width: 100,
            ascii: true
        }
    );
    let text = sequential().await.render_with(ascii);
    check(
        &text,
        "\
virtual time   0 ms               500 ms             1000 ms            1500 ms            2000 ms
fetch_user(1)  ######################################
fetch_user(2)                                        ######################################
-> 2000 ms in all: fetch_user(2) started only after fetch_user(1) ended (sequential)
expected: concurrent would take 1000 ms",
        100,
    );
    assert!(text.is_ascii(), "{text}");
}

#[test]
fn the_style_follows_no_color_term_and_columns() {
    let style = |no_color, term, columns| Style::from_vars(no_color, term, columns);
    assert_eq!(
        style(None, None, None),
        Style {
            width: 100,
            ascii: false
        }
    );
    assert_eq!(
        style(Some(""), None, Some("80")),
        Style {
            width: 80,
            ascii: false
        }
    );
    assert_eq!(
        style(None, Some("dumb"), Some("40")),
        Style {
            width: 40,
            ascii: true
        }
    );
    assert_eq!(
        style(None, Some("xterm"), Some("wide")),
        Style {
            width: 100,
            ascii: false
        }
    );
}

#[tokio::test(start_paused = true)]
async fn unfinished_and_instant_work_are_drawn_too() {
    let timeline = Timeline::new();
    let running = timeline.start("read(socket)");
    timeline.start("page(1)").end();
    sleep(ms(30)).await;
    timeline.start("page(2)").end();
    check(
        &timeline.render_with(style(60)),
        "\
virtual time  0 ms         10 ms        20 ms        30 ms
page(1)       │
read(socket)  ███████████████████████████████████████
page(2)                                              │
→ 30 ms in all: read(socket) was still running",
        60,
    );
    drop(running);
}
