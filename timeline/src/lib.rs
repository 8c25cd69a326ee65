//! What the kata tests' fakes did, in virtual time, drawn as a text timeline.
//!
//! A test makes a [`Timeline`], hands clones of it to its fakes (a fetch, a database
//! call, a page, a job), and each fake records a [`Span`] of work: a label, when it
//! started and when it ended, or that it was cut off (the span's guard was dropped
//! before [`Span::end`]: the future holding it was cancelled). When a timing,
//! concurrency, ordering, cancellation or limit assertion fails, the message ends with
//! [`Timeline::render`]:
//!
//! ```text
//! virtual time   0 ms               500 ms             1000 ms            1500 ms            2000 ms
//! fetch_user(1)  ██████████████████████████████████████
//! fetch_user(2)                                        ██████████████████████████████████████
//! → 2000 ms in all: fetch_user(2) started only after fetch_user(1) ended (sequential)
//! expected: concurrent would take 1000 ms
//! ```
//!
//! Recording is a push onto a `Vec` behind a mutex, and reads the clock the test
//! already runs on (`tokio::time::Instant`): it never sleeps, yields or changes what
//! the test checks. Rendering is deterministic (virtual time, no colour); it uses
//! block characters unless `NO_COLOR` is set or `TERM=dumb`, and is never wider than
//! `COLUMNS` (100 without it).
//!
//! With `AWAITLINGS_TIMELINE` set, every timeline is also drawn when the test is done
//! with it (the last clone dropped): to the file the variable names (`cargo xtask check
//! KATA --timeline` sets it), or to stdout when it is `1`.
//!
//! [`faults`] is the course's fault-injection kit: futures ready at once or pending,
//! new wakers, new tasks, drops at each await point, threads seen asleep, and readers,
//! writers and calls that fail on cue.

pub mod faults;

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

/// The first line of every rendered timeline starts with this, and a rendered timeline
/// holds no blank line: the runner (`TIMELINE_MARKER` in `xtask/src/engine/harness.rs`,
/// which a test of the runner's keeps equal to this) shows a block from this line to the
/// next blank line whole, however long the failure around it.
pub const MARKER: &str = "virtual time";

/// The width without `COLUMNS`.
pub const DEFAULT_WIDTH: usize = 100;

/// The environment variable that asks for every timeline to be drawn when its test is
/// done with it: a file to append to, or `1` for stdout.
pub const ENV: &str = "AWAITLINGS_TIMELINE";

/// A recording of spans of work in virtual time. Cheap to clone (an `Arc`): give each
/// fake its own clone. `Send + Sync`, so spawned tasks can record too.
#[derive(Clone)]
pub struct Timeline {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
}

struct State {
    origin: Instant,
    rows: Vec<Row>,
    spans: Vec<SpanData>,
    limit: Option<usize>,
    expected: Vec<String>,
}

struct Row {
    label: String,
    /// Attempts of a retry: the gaps between its spans are drawn as waits.
    attempts: bool,
}

#[derive(Clone, Copy)]
struct SpanData {
    row: usize,
    start: Duration,
    end: End,
}

#[derive(Clone, Copy, PartialEq)]
enum End {
    /// Not ended yet: drawn up to the time of rendering.
    Open,
    Done(Duration),
    /// Its guard was dropped before `end`: the work was cut off.
    Cancelled(Duration),
}

/// One piece of work in progress. Call [`Span::end`] when the work is done; dropping
/// the span without it marks the work as cut off (cancelled) at that moment, which is
/// what happens when the future that holds it is dropped mid-way.
#[must_use = "a span dropped at once is recorded as cut off at once: keep it until the work ends"]
pub struct Span {
    timeline: Timeline,
    index: usize,
    ended: bool,
}

impl Span {
    /// The work is done, now.
    pub fn end(mut self) {
        self.ended = true;
        self.timeline.close(self.index, false);
    }
}

impl Drop for Span {
    fn drop(&mut self) {
        if !self.ended {
            self.timeline.close(self.index, true);
        }
    }
}

impl Default for Timeline {
    fn default() -> Self {
        Self::new()
    }
}

impl Timeline {
    /// A timeline whose 0 ms is now.
    pub fn new() -> Self {
        Timeline {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    origin: Instant::now(),
                    rows: Vec::new(),
                    spans: Vec::new(),
                    limit: None,
                    expected: Vec::new(),
                }),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.state()
    }

    /// Work labelled `label` starts now; its row is the label's (one row per label, in
    /// the order labels first appear).
    pub fn start(&self, label: impl Into<String>) -> Span {
        self.open(label.into(), false)
    }

    /// One attempt of a retried operation starts now: every attempt of `label` shares
    /// a row, and the waits between them are drawn (`·`) and summed up.
    pub fn attempt(&self, label: impl Into<String>) -> Span {
        self.open(label.into(), true)
    }

    /// Runs `work` as a span labelled `label`: it starts when first polled and ends
    /// when `work` does, or is cut off if dropped before.
    pub async fn run<F: IntoFuture>(&self, label: impl Into<String>, work: F) -> F::Output {
        let span = self.start(label);
        let output = work.await;
        span.end();
        output
    }

    /// Draws an in-flight gauge under the rows, and reads the run against `limit`
    /// work at a time.
    pub fn limit(&self, limit: usize) {
        self.state().limit = Some(limit);
    }

    /// What the right shape would have been ("concurrent would take 1000 ms"), shown
    /// under the summary.
    pub fn expect(&self, shape: impl Into<String>) {
        self.state().expected.push(shape.into());
    }

    /// The most spans in flight at once so far.
    pub fn max_in_flight(&self) -> usize {
        let state = self.state();
        let now = state.elapsed();
        max_in_flight(&state.spans, now)
    }

    /// The timeline as text, as the environment wants it (`NO_COLOR`, `TERM`,
    /// `COLUMNS`): see [`Style::from_env`].
    pub fn render(&self) -> String {
        self.render_with(Style::from_env())
    }

    /// The timeline as text, in `style`. Deterministic: the same run gives the same
    /// text.
    pub fn render_with(&self, style: Style) -> String {
        let state = self.state();
        render(&state, state.elapsed(), style)
    }

    fn open(&self, label: String, attempts: bool) -> Span {
        let mut state = self.state();
        let start = state.elapsed();
        let row = match state.rows.iter().position(|row| row.label == label) {
            Some(row) => {
                state.rows[row].attempts |= attempts;
                row
            }
            None => {
                state.rows.push(Row { label, attempts });
                state.rows.len() - 1
            }
        };
        state.spans.push(SpanData {
            row,
            start,
            end: End::Open,
        });
        let index = state.spans.len() - 1;
        drop(state);
        Span {
            timeline: self.clone(),
            index,
            ended: false,
        }
    }

    fn close(&self, index: usize, cancelled: bool) {
        let mut state = self.state();
        let at = state.elapsed();
        if let Some(span) = state.spans.get_mut(index) {
            span.end = if cancelled {
                End::Cancelled(at)
            } else {
                End::Done(at)
            };
        }
    }
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A test that panicked while recording still deserves its timeline.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    /// Virtual time since 0 ms. Outside a runtime the clock is the wall clock, which a
    /// deterministic drawing must not read: the last recorded moment stands in.
    fn elapsed(&self) -> Duration {
        if tokio::runtime::Handle::try_current().is_ok() {
            Instant::now().saturating_duration_since(self.origin)
        } else {
            self.spans
                .iter()
                .map(|span| span.end.at().unwrap_or(span.start))
                .max()
                .unwrap_or_default()
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        let Some(target) = std::env::var_os(ENV).filter(|v| !v.is_empty()) else {
            return;
        };
        let state = self.state();
        if state.spans.is_empty() {
            return;
        }
        let text = render(&state, state.elapsed(), Style::from_env());
        drop(state);
        if target == "1" {
            let test = std::thread::current().name().unwrap_or("test").to_string();
            println!("{test}:\n{text}\n");
        } else {
            use std::io::Write as _;
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(target);
            if let Ok(mut file) = file {
                let _ = write!(file, "{text}\n\n");
            }
        }
    }
}

impl End {
    fn at(self) -> Option<Duration> {
        match self {
            End::Open => None,
            End::Done(at) | End::Cancelled(at) => Some(at),
        }
    }
}

impl SpanData {
    /// Where the span stops on the drawing: its end, or `now` while it runs.
    fn stop(&self, now: Duration) -> Duration {
        self.end.at().unwrap_or(now).max(self.start)
    }

    fn instant(&self, now: Duration) -> bool {
        self.stop(now) == self.start
    }
}

/// How to draw: how wide at most, and whether in plain ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub width: usize,
    pub ascii: bool,
}

impl Style {
    /// From the environment: ASCII when `NO_COLOR` is set (not empty) or `TERM=dumb`,
    /// as wide as `COLUMNS` or [`DEFAULT_WIDTH`].
    pub fn from_env() -> Style {
        let var = |name| std::env::var(name).ok();
        Style::from_vars(
            var("NO_COLOR").as_deref(),
            var("TERM").as_deref(),
            var("COLUMNS").as_deref(),
        )
    }

    /// [`Style::from_env`] on given values of `NO_COLOR`, `TERM` and `COLUMNS`.
    pub fn from_vars(no_color: Option<&str>, term: Option<&str>, columns: Option<&str>) -> Style {
        let ascii = no_color.is_some_and(|v| !v.is_empty()) || term == Some("dumb");
        let width = columns
            .and_then(|c| c.trim().parse().ok())
            .filter(|&w: &usize| w > 0)
            .unwrap_or(DEFAULT_WIDTH);
        Style { width, ascii }
    }
}

struct Glyphs {
    work: char,
    cut: char,
    wait: char,
    instant: char,
    more: char,
    arrow: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    work: '█',
    cut: '×',
    wait: '·',
    instant: '│',
    more: '…',
    arrow: "→",
};

const ASCII: Glyphs = Glyphs {
    work: '#',
    cut: 'x',
    wait: '.',
    instant: '|',
    more: '~',
    arrow: "->",
};

const GAUGE: &str = "in flight";

/// How the time axis maps onto columns: `cells` columns per `step` of virtual time,
/// `ticks` steps in all.
struct Scale {
    step: Duration,
    cells: usize,
    ticks: u64,
}

impl Scale {
    /// The finest step of 1, 2 or 5 × 10ⁿ ms whose tick labels fit apart in `room`.
    fn choose(total: Duration, room: usize) -> Scale {
        let mut fallback = None;
        for power in 0..9 {
            for mantissa in [1u64, 2, 5] {
                let step = Duration::from_millis(mantissa * 10u64.pow(power));
                let ticks = total.as_nanos().div_ceil(step.as_nanos()).max(1) as u64;
                let widest = label(step * ticks as u32).len();
                let cells = room.saturating_sub(widest) / ticks as usize;
                if cells >= widest + 2 {
                    return Scale { step, cells, ticks };
                }
                if ticks == 1 && fallback.is_none() {
                    fallback = Some(Scale {
                        step,
                        cells: cells.max(1),
                        ticks,
                    });
                }
            }
        }
        fallback.unwrap_or(Scale {
            step: total.max(Duration::from_millis(1)),
            cells: 1,
            ticks: 1,
        })
    }

    /// The column of moment `at`, rounded to the nearest.
    fn cell(&self, at: Duration) -> usize {
        let step = self.step.as_nanos();
        ((at.as_nanos() * self.cells as u128 + step / 2) / step) as usize
    }

    fn columns(&self) -> usize {
        self.cells * self.ticks as usize
    }
}

/// `1500 ms`, `2.5 ms`.
fn label(duration: Duration) -> String {
    format!("{} ms", millis(duration))
}

fn millis(duration: Duration) -> String {
    let nanos = duration.as_nanos();
    if nanos.is_multiple_of(1_000_000) {
        return (nanos / 1_000_000).to_string();
    }
    let text = format!("{:.3}", nanos as f64 / 1e6);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn render(state: &State, now: Duration, style: Style) -> String {
    let glyphs = if style.ascii { &ASCII } else { &UNICODE };
    let spans = &state.spans;
    let last = spans
        .iter()
        .map(|span| span.stop(now))
        .max()
        .unwrap_or_default();
    let total = now.max(last);
    // The label column: the longest label, never less than the marker, never more than
    // half the width (longer labels are cut).
    let mut labels: Vec<&str> = state.rows.iter().map(|row| row.label.as_str()).collect();
    if state.limit.is_some() {
        labels.push(GAUGE);
    }
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let label_width = longest
        .max(MARKER.len())
        .min((style.width / 2).max(MARKER.len()));
    let column = label_width + 2;
    let scale = Scale::choose(total, style.width.saturating_sub(column));
    let columns = scale.columns();
    let mut out = String::new();

    // The axis: a tick label at the column of each step.
    let mut axis: Vec<char> =
        vec![' '; columns + label(total.max(scale.step * scale.ticks as u32)).len() + 1];
    for tick in 0..=scale.ticks {
        let text = label(scale.step * tick as u32);
        let at = scale.cells * tick as usize;
        for (offset, c) in text.chars().enumerate() {
            if let Some(slot) = axis.get_mut(at + offset) {
                *slot = c;
            }
        }
    }
    line(&mut out, MARKER, label_width, glyphs, &axis);

    for &index in &rows_in_order(state) {
        let row = &state.rows[index];
        let mut cells = vec![' '; columns + 1];
        let mine: Vec<&SpanData> = spans.iter().filter(|span| span.row == index).collect();
        let mut previous_stop: Option<usize> = None;
        // Drawn last: work restarted at the moment it was cut off (a future re-created
        // each time round a loop) must not paint over the mark.
        let mut cuts = Vec::new();
        for span in &mine {
            let start = scale.cell(span.start);
            let stop = scale.cell(span.stop(now)).min(columns);
            if row.attempts
                && let Some(from) = previous_stop
            {
                for cell in cells.iter_mut().take(start).skip(from) {
                    if *cell == ' ' {
                        *cell = glyphs.wait;
                    }
                }
            }
            match span.end {
                End::Cancelled(_) => {
                    for cell in cells.iter_mut().take(stop).skip(start) {
                        *cell = glyphs.work;
                    }
                    cuts.push(stop);
                    previous_stop = Some(stop + 1);
                }
                _ if span.instant(now) => {
                    cells[start.min(columns)] = glyphs.instant;
                    previous_stop = Some(start + 1);
                }
                _ => {
                    let stop = stop.max(start + 1).min(columns.max(start + 1));
                    for cell in cells.iter_mut().take(stop).skip(start) {
                        *cell = glyphs.work;
                    }
                    previous_stop = Some(stop);
                }
            }
        }
        for stop in cuts {
            cells[stop] = glyphs.cut;
        }
        line(&mut out, &row.label, label_width, glyphs, &cells);
    }

    if state.limit.is_some() {
        let mut counts = vec![0usize; columns];
        for span in spans.iter().filter(|span| !span.instant(now)) {
            let start = scale.cell(span.start);
            let stop = scale.cell(span.stop(now)).max(start + 1).min(columns);
            for count in counts.iter_mut().take(stop).skip(start) {
                *count += 1;
            }
        }
        let cells: Vec<char> = counts
            .iter()
            .map(|&n| match n {
                0 => ' ',
                1..=9 => char::from(b'0' + n as u8),
                _ => '+',
            })
            .collect();
        line(&mut out, GAUGE, label_width, glyphs, &cells);
    }

    let summary = format!(
        "{} {} in all{}",
        glyphs.arrow,
        label(total),
        match summary(state, now, total) {
            clauses if clauses.is_empty() => String::new(),
            clauses => format!(": {}", clauses.join("; ")),
        }
    );
    wrap(&mut out, &summary, style.width);
    for shape in &state.expected {
        wrap(&mut out, &format!("expected: {shape}"), style.width);
    }
    out.trim_end().to_string()
}

/// The rows in the order they are drawn: by when their first work started, then by
/// label (numbers as numbers: `job(2)` before `job(10)`). Never the order of recording,
/// which `select!`'s random pick of a branch to poll first could change between runs.
fn rows_in_order(state: &State) -> Vec<usize> {
    let first = |row: usize| {
        state
            .spans
            .iter()
            .filter(|span| span.row == row)
            .map(|span| span.start)
            .min()
    };
    let mut rows: Vec<usize> = (0..state.rows.len()).collect();
    rows.sort_by(|&a, &b| {
        first(a)
            .cmp(&first(b))
            .then_with(|| natural(&state.rows[a].label, &state.rows[b].label))
    });
    rows
}

/// The spans by start, then in the order of their rows.
fn spans_in_order(state: &State) -> Vec<SpanData> {
    let rows = rows_in_order(state);
    let rank = |row: usize| rows.iter().position(|&r| r == row);
    let mut spans = state.spans.clone();
    spans.sort_by_key(|span| (span.start, rank(span.row)));
    spans
}

/// Compares labels with their runs of digits as numbers.
fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(text: &str) -> Vec<(bool, String)> {
        let mut chunks: Vec<(bool, String)> = Vec::new();
        for c in text.chars() {
            let digit = c.is_ascii_digit();
            match chunks.last_mut() {
                Some((d, chunk)) if *d == digit => chunk.push(c),
                _ => chunks.push((digit, c.to_string())),
            }
        }
        chunks
    }
    let key = |text: &str| {
        chunks(text)
            .into_iter()
            .map(|(digit, chunk)| match digit {
                true => (String::new(), chunk.trim_start_matches('0').len(), chunk),
                false => (chunk, 0, String::new()),
            })
            .collect::<Vec<_>>()
    };
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

/// One row: the label, cut to its column if need be, then the cells, no trailing space.
fn line(out: &mut String, label: &str, width: usize, glyphs: &Glyphs, cells: &[char]) {
    let mut name: String = label.chars().take(width).collect();
    if label.chars().count() > width {
        name = label.chars().take(width - 1).collect();
        name.push(glyphs.more);
    }
    let cells: String = cells.iter().collect();
    let _ = writeln!(out, "{}", format!("{name:width$}  {cells}").trim_end());
}

/// `text` as lines of at most `width` columns, broken between words; the lines after
/// the first are indented by two.
fn wrap(out: &mut String, text: &str, width: usize) {
    // A duration is one word: `800 ms` never breaks before its unit.
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match words.last_mut() {
            Some(last) if word.starts_with("ms") => *last = format!("{last} {word}"),
            _ => words.push(word.to_string()),
        }
    }
    let mut current = String::new();
    for word in &words {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            let _ = writeln!(out, "{current}");
            current = "  ".to_string();
        } else if len > 0 {
            current.push(' ');
        }
        current.push_str(word);
    }
    let _ = writeln!(out, "{current}");
}

/// Most spans of work (not instants) running at the same moment. A span that ends at
/// the moment another starts does not overlap it.
fn max_in_flight(spans: &[SpanData], now: Duration) -> usize {
    let mut events: Vec<(Duration, i32)> = Vec::new();
    for span in spans.iter().filter(|span| !span.instant(now)) {
        events.push((span.start, 1));
        events.push((span.stop(now), -1));
    }
    events.sort();
    let (mut current, mut most) = (0i32, 0i32);
    for (_, change) in events {
        current += change;
        most = most.max(current);
    }
    most as usize
}

/// What the shape means, in words: each clause one observation.
fn summary(state: &State, now: Duration, total: Duration) -> Vec<String> {
    let mut clauses = Vec::new();
    let spans = &spans_in_order(state);
    let name = |span: &SpanData| state.rows[span.row].label.clone();
    if let Some(limit) = state.limit {
        let most = max_in_flight(spans, now);
        let work = spans.iter().filter(|s| !s.instant(now)).count();
        clauses.push(if most > limit {
            format!("{most} in flight at once, over the limit of {limit}")
        } else if most <= 1 && work > 1 {
            format!("one at a time, so the limit of {limit} was never used (sequential)")
        } else if most == limit {
            format!("at most {most} in flight at once, never more than the limit of {limit}")
        } else {
            format!("at most {most} in flight at once, under the limit of {limit}")
        });
    } else {
        let plain: Vec<&SpanData> = spans
            .iter()
            .filter(|span| !state.rows[span.row].attempts && !span.instant(now))
            .collect();
        let mut ordered = plain.clone();
        ordered.sort_by_key(|span| span.start);
        let sequential = ordered
            .windows(2)
            .all(|pair| pair[1].start >= pair[0].stop(now));
        let side_by_side =
            plain.iter().map(|s| s.start).max() < plain.iter().map(|s| s.stop(now)).min();
        match ordered.as_slice() {
            [] => {}
            [one] => {
                if one.end != End::Open && !matches!(one.end, End::Cancelled(_)) {
                    clauses.push(format!(
                        "{} took {}",
                        name(one),
                        label(one.stop(now) - one.start)
                    ));
                }
            }
            [a, b] if sequential => clauses.push(format!(
                "{} started only after {} ended (sequential)",
                name(b),
                name(a)
            )),
            [a, b] if side_by_side => clauses.push(format!(
                "{} and {} ran side by side (concurrent)",
                name(a),
                name(b)
            )),
            many if sequential => clauses.push(format!(
                "each of the {} started only after the one before it ended (sequential)",
                many.len()
            )),
            many if side_by_side => {
                clauses.push(format!("all {} ran side by side (concurrent)", many.len()));
            }
            _ => {
                let owned: Vec<SpanData> = plain.iter().map(|s| **s).collect();
                clauses.push(format!(
                    "at most {} ran at once",
                    max_in_flight(&owned, now)
                ));
            }
        }
    }
    for index in rows_in_order(state) {
        let row = &state.rows[index];
        if !row.attempts {
            continue;
        }
        let attempts: Vec<&SpanData> = spans.iter().filter(|span| span.row == index).collect();
        let waits: Vec<String> = attempts
            .windows(2)
            .map(|pair| label(pair[1].start.saturating_sub(pair[0].stop(now))))
            .collect();
        clauses.push(match waits.as_slice() {
            [] => format!("1 attempt of {}", row.label),
            waits => format!(
                "{} attempts of {}, waiting {} between them",
                attempts.len(),
                row.label,
                list(waits)
            ),
        });
    }
    let cancelled: Vec<(String, Duration)> = spans
        .iter()
        .filter_map(|span| match span.end {
            End::Cancelled(at) => Some((name(span), at)),
            _ => None,
        })
        .collect();
    if let Some((_, first)) = cancelled.first() {
        let names: Vec<String> = cancelled.iter().map(|(n, _)| n.clone()).collect();
        if cancelled.iter().all(|(_, at)| at == first) {
            let verb = if names.len() == 1 { "was" } else { "were" };
            clauses.push(format!(
                "{} {verb} cut off at {} (cancelled)",
                list(&names),
                label(*first)
            ));
        } else {
            let each: Vec<String> = cancelled
                .iter()
                .map(|(n, at)| format!("{n} at {}", label(*at)))
                .collect();
            clauses.push(format!("cut off (cancelled): {}", list(&each)));
        }
    }
    let open: Vec<String> = spans
        .iter()
        .filter(|span| span.end == End::Open)
        .map(name)
        .collect();
    if !open.is_empty() {
        let verb = if open.len() == 1 { "was" } else { "were" };
        clauses.push(format!("{} {verb} still running", list(&open)));
    }
    let last = spans.iter().map(|span| span.stop(now)).max();
    if let Some(last) = last
        && total > last
    {
        clauses.push(format!("then {} with nothing running", label(total - last)));
    }
    if spans.is_empty() {
        clauses.push("no work started".into());
    }
    clauses
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests;
