//! The class report: one self-contained HTML page, written by `regrade` beside the
//! gradebook. It shows the class's score distribution (an SVG histogram), the share of
//! students passing each kata and each test (so an instructor sees which concept the
//! class struggles with), and a row per student linking to that student's failures,
//! notes or error.
//!
//! No network, no script: inline CSS and SVG only, readable printed. The page is a maud
//! template, which escapes every value spliced into it: what comes from students (folder
//! names, test messages) cannot become markup. Numbers are written as the gradebook
//! writes them (`grade::points`), and the figures a test reads are in `data-` attributes:
//! `data-total` on each student row, `data-share` (passed over graded, two decimals) on
//! each kata and test row, `data-count` on each chart bin.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::grading::grade::points;

pub struct Class {
    pub title: String,
    pub students: Vec<StudentReport>,
}

pub struct StudentReport {
    pub name: String,
    /// Why the student could not be graded at all (then `katas` is empty).
    pub error: Option<String>,
    pub katas: Vec<KataReport>,
    /// Why points were withheld, each with its reason.
    pub notes: Vec<Note>,
}

/// Why a kata's points were withheld: each reason is the gradebook's column of its name,
/// and the report lists each apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// Protected files changed (`tampered_files`).
    Tampered,
    /// Code the scan refused (`flagged_code`).
    Flagged,
    /// Test binaries grading would not run (`refused_binaries`).
    RefusedBinary,
    /// Tests stopped at their time limit (`timed_out_tests`).
    TimedOut,
}

impl Reason {
    pub const ALL: [Reason; 4] = [
        Reason::Tampered,
        Reason::Flagged,
        Reason::RefusedBinary,
        Reason::TimedOut,
    ];

    /// The gradebook's column, also the note's `data-reason`.
    pub fn column(self) -> &'static str {
        match self {
            Reason::Tampered => "tampered_files",
            Reason::Flagged => "flagged_code",
            Reason::RefusedBinary => "refused_binaries",
            Reason::TimedOut => "timed_out_tests",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Reason::Tampered => "Protected files changed",
            Reason::Flagged => "Code grading refuses",
            Reason::RefusedBinary => "Test binaries grading refused to run",
            Reason::TimedOut => "Tests stopped at their time limit",
        }
    }
}

/// "path (how)", a finding, a binary or a test, under its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub reason: Reason,
    pub text: String,
}

impl Note {
    pub fn new(reason: Reason, text: impl Into<String>) -> Note {
        Note {
            reason,
            text: text.into(),
        }
    }
}

pub struct KataReport {
    /// `00_welcome/01_hello`
    pub id: String,
    pub points: f64,
    pub max_points: u32,
    /// Tests run only at regrade by the instructor (reported apart).
    pub hidden: bool,
    pub tests: Vec<TestReport>,
    /// The known mistake its code fails like (`course::mistakes`): (name, sentence).
    pub mistake: Option<(String, String)>,
}

pub struct TestReport {
    pub name: String,
    pub passed: bool,
    pub message: String,
}

/// The most bins the score chart has.
const MAX_BINS: usize = 15;
/// A failure message longer than this (in lines or characters) is folded in `<details>`.
const LONG_LINES: usize = 4;
const LONG_CHARS: usize = 240;

/// The report of `class`, as one HTML page.
pub fn html(class: &Class) -> String {
    let columns = columns(class);
    let graded: Vec<&StudentReport> = class
        .students
        .iter()
        .filter(|s| s.error.is_none())
        .collect();
    let title = format!("{}: class report", class.title);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="cargo xtask regrade";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    (summary(class, &graded))
                    @if !class.students.is_empty() {
                        nav aria-label="sections" {
                            a href="#distribution" { "Score distribution" } " "
                            a href="#katas" { "Katas and tests" } " "
                            a href="#students" { "Students" } " "
                            a href="#details" { "Each student's failures" }
                        }
                    }
                }
                main {
                    @if class.students.is_empty() {
                        p.empty { "No students in this report." }
                    } @else {
                        (distribution(&graded, class.students.len() - graded.len()))
                        (kata_table(&columns, &graded))
                        (student_table(&columns, class))
                        (section("details", "Each student's failures", html! {
                            @for student in &class.students { (student_detail(student)) }
                        }))
                    }
                }
            }
        }
    };
    clean(&page.into_string()) + "\n"
}

/// A section of the page, `#ID`, under its heading, `#ID-title`.
fn section(id: &str, heading: &str, body: Markup) -> Markup {
    html! {
        section id=(id) aria-labelledby={ (id) "-title" } {
            h2 id={ (id) "-title" } { (heading) }
            (body)
        }
    }
}

/// A kata as a column of the report: one per kata id, and one more for its hidden tests.
#[derive(Debug, Clone, PartialEq)]
struct Column {
    id: String,
    hidden: bool,
    max_points: u32,
    /// Test names, in the order the students' reports give them.
    tests: Vec<String>,
}

impl Column {
    fn of<'a>(&self, student: &'a StudentReport) -> Option<&'a KataReport> {
        student
            .katas
            .iter()
            .find(|k| k.id == self.id && k.hidden == self.hidden)
    }
}

/// Every kata any student has, in course order (ids are `NN_module/NN_kata`, so they
/// sort as the course runs), a kata's hidden tests right after it. Tests are in the
/// order the students' reports give them: one a student lacks keeps its place.
fn columns(class: &Class) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::new();
    for student in &class.students {
        let mut at = 0;
        for kata in &student.katas {
            let found = columns
                .iter()
                .position(|c| c.id == kata.id && c.hidden == kata.hidden);
            let index = found.unwrap_or_else(|| {
                columns.insert(
                    at,
                    Column {
                        id: kata.id.clone(),
                        hidden: kata.hidden,
                        max_points: kata.max_points,
                        tests: Vec::new(),
                    },
                );
                at
            });
            at = index + 1;
            let tests = &mut columns[index].tests;
            let mut t_at = 0;
            for test in &kata.tests {
                t_at = match tests.iter().position(|t| *t == test.name) {
                    Some(i) => i + 1,
                    None => {
                        tests.insert(t_at, test.name.clone());
                        t_at + 1
                    }
                };
            }
        }
    }
    columns.sort_by(|a, b| (&a.id, a.hidden).cmp(&(&b.id, b.hidden)));
    columns
}

/// How many of the students graded on something passed it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Share {
    passed: usize,
    graded: usize,
}

impl Share {
    fn ratio(self) -> f64 {
        if self.graded == 0 {
            0.0
        } else {
            self.passed as f64 / self.graded as f64
        }
    }

    /// `0.67`, as `data-share` holds it.
    fn data(self) -> String {
        format!("{:.2}", self.ratio())
    }

    fn percent(self) -> String {
        format!("{:.0}%", self.ratio() * 100.0)
    }
}

/// The students who passed every test of the kata, of those graded on it.
fn kata_share(column: &Column, graded: &[&StudentReport]) -> Share {
    let katas: Vec<&KataReport> = graded.iter().filter_map(|s| column.of(s)).collect();
    Share {
        passed: katas
            .iter()
            .filter(|k| !k.tests.is_empty() && k.tests.iter().all(|t| t.passed))
            .count(),
        graded: katas.len(),
    }
}

/// The students who passed the test, of those whose kata has it.
fn test_share(column: &Column, test: &str, graded: &[&StudentReport]) -> Share {
    let results: Vec<bool> = graded
        .iter()
        .filter_map(|s| column.of(s))
        .filter_map(|k| k.tests.iter().find(|t| t.name == test))
        .map(|t| t.passed)
        .collect();
    Share {
        passed: results.iter().filter(|p| **p).count(),
        graded: results.len(),
    }
}

/// A student's points, hidden tests' included (from 0.0: the sum of nothing is -0.0).
fn total(student: &StudentReport) -> f64 {
    student.katas.iter().fold(0.0, |sum, k| sum + k.points)
}

fn max_total(student: &StudentReport) -> u32 {
    student.katas.iter().map(|k| k.max_points).sum()
}

fn hidden_total(student: &StudentReport) -> f64 {
    student
        .katas
        .iter()
        .filter(|k| k.hidden)
        .fold(0.0, |sum, k| sum + k.points)
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().fold(0.0, |sum, v| sum + v) / values.len() as f64
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn summary(class: &Class, graded: &[&StudentReport]) -> Markup {
    let totals: Vec<f64> = graded.iter().map(|s| total(s)).collect();
    let max = graded.iter().map(|s| max_total(s)).max().unwrap_or(0);
    let errors = class.students.len() - graded.len();
    let (mean, median) = (points(mean(&totals)), points(median(&totals)));
    let lowest = points(totals.iter().copied().fold(f64::INFINITY, f64::min));
    let highest = points(totals.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    html! {
        dl.summary #summary data-students=(class.students.len()) data-graded=(graded.len())
            data-errors=(errors) {
            div { dt { "students" } dd { (class.students.len()) } }
            @if errors > 0 { div.bad { dt { "not graded" } dd { (errors) } } }
            @if !graded.is_empty() {
                div { dt { "mean" } dd data-mean=(mean) { (mean) } }
                div { dt { "median" } dd data-median=(median) { (median) } }
                div { dt { "lowest" } dd data-lowest=(lowest) { (lowest) } }
                div { dt { "highest" } dd data-highest=(highest) { (highest) } }
                div { dt { "out of" } dd data-max=(max) { (max) } }
            }
        }
    }
}

/// One bar of the score chart: the students with `from <= total < to` (the last bin
/// also holds `to`).
#[derive(Debug, Clone, PartialEq)]
struct Bin {
    from: f64,
    to: f64,
    count: usize,
}

/// The width of the chart's bins: a round number (1, 2, 2.5 or 5 times a power of ten),
/// the smallest that covers 0 to `max` in at most `MAX_BINS` bins; and how many
/// decimals its edges need.
fn bin_width(max: f64) -> (f64, usize) {
    if max.is_nan() || max <= 0.0 {
        return (1.0, 0);
    }
    let mut exponent = (max / MAX_BINS as f64).log10().floor() as i32 - 1;
    loop {
        for (mantissa, digits) in [(1.0, 0), (2.0, 0), (2.5, 1), (5.0, 0)] {
            let width = mantissa * 10f64.powi(exponent);
            if (max / width - 1e-9).ceil() as usize <= MAX_BINS {
                let decimals = (digits - exponent).max(0) as usize;
                return (width, decimals);
            }
        }
        exponent += 1;
    }
}

/// The score chart's bins, from 0 to `max` (or the highest total, if higher). Totals
/// are binned as the gradebook shows them, rounded to the cent.
fn bins(totals: &[f64], max: f64) -> (Vec<Bin>, usize) {
    let highest = totals.iter().copied().fold(max, f64::max);
    let (width, decimals) = bin_width(highest);
    let count = ((highest / width - 1e-9).ceil() as usize).max(1);
    let mut bins: Vec<Bin> = (0..count)
        .map(|i| Bin {
            from: i as f64 * width,
            to: (i + 1) as f64 * width,
            count: 0,
        })
        .collect();
    for total in totals {
        let cents = (total * 100.0).round() / 100.0;
        let index = ((cents / width + 1e-9).floor().max(0.0) as usize).min(count - 1);
        bins[index].count += 1;
    }
    (bins, decimals)
}

fn distribution(graded: &[&StudentReport], errors: usize) -> Markup {
    let totals: Vec<f64> = graded.iter().map(|s| total(s)).collect();
    let max = graded.iter().map(|s| max_total(s)).max().unwrap_or(0);
    let (bins, decimals) = bins(&totals, f64::from(max));
    let left_out = match errors {
        0 => String::new(),
        1 => " 1 student who could not be graded is not counted.".into(),
        n => format!(" {n} students who could not be graded are not counted."),
    };
    section(
        "distribution",
        "Score distribution",
        html! {
            @if graded.is_empty() {
                p.empty { "No student could be graded." }
            } @else {
                figure {
                    (histogram(&bins, decimals, max))
                    figcaption {
                        "Total points of each of the " (graded.len()) " graded students, out of "
                        (max) ", in bins of " (edge(bins[0].to, decimals)) " points (each bin holds \
                        its lower edge; the last also its upper)." (left_out)
                    }
                }
            }
        },
    )
}

fn edge(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}")
}

/// A coordinate of the chart, to a tenth.
fn at(value: f64) -> String {
    format!("{value:.1}")
}

/// The chart: an inline SVG, its bars and counts labelled, its data also in `<desc>`.
fn histogram(bins: &[Bin], decimals: usize, max: u32) -> Markup {
    const WIDTH: f64 = 760.0;
    const HEIGHT: f64 = 330.0;
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 28.0;
    const BOTTOM: f64 = 70.0;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let base = TOP + plot_height;
    let highest = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    // Integer ticks, about five of them, and the axis up to a whole tick.
    let step = highest.div_ceil(5).max(1);
    let top = highest.div_ceil(step) * step;
    let y = |count: usize| TOP + plot_height * (1.0 - count as f64 / top as f64);
    let bar = plot_width / bins.len() as f64;
    let range = |b: &Bin| format!("{} to {}", edge(b.from, decimals), edge(b.to, decimals));
    let description: Vec<String> = bins
        .iter()
        .map(|b| format!("{}: {}", range(b), b.count))
        .collect();
    // An edge label under each bin boundary.
    let edges = bins.iter().map(|b| b.from).chain(bins.last().map(|b| b.to));
    html! {
        svg.histogram viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img"
            aria-labelledby="histogram-title histogram-desc" xmlns="http://www.w3.org/2000/svg" {
            title #histogram-title { "Students per band of total points" }
            desc #histogram-desc {
                "Students per band of total points (out of " (max) "): " (description.join("; ")) "."
            }
            @for tick in (0..=top).step_by(step) {
                line.grid x1=(LEFT) x2=(WIDTH - RIGHT) y1=(at(y(tick))) y2=(at(y(tick))) {}
                text.tick x=(LEFT - 8.0) y=(at(y(tick) + 4.0)) text-anchor="end" { (tick) }
            }
            @for (i, bin) in bins.iter().enumerate() {
                @let x = LEFT + i as f64 * bar;
                g.bin data-from=(edge(bin.from, decimals)) data-to=(edge(bin.to, decimals))
                    data-count=(bin.count) {
                    title { (range(bin)) " points: " (many(bin.count, "student")) }
                    rect x=(at(x + 2.0)) y=(at(y(bin.count))) width=(at((bar - 4.0).max(1.0)))
                        height=(at(plot_height * bin.count as f64 / top as f64)) {}
                    text.count.zero[bin.count == 0] x=(at(x + bar / 2.0))
                        y=(at(y(bin.count) - 6.0)) text-anchor="middle" { (bin.count) }
                }
            }
            line.axis x1=(LEFT) x2=(LEFT) y1=(TOP) y2=(base) {}
            line.axis x1=(LEFT) x2=(WIDTH - RIGHT) y1=(base) y2=(base) {}
            @for (i, value) in edges.enumerate() {
                @let x = at(LEFT + i as f64 * bar);
                line.axis x1=(x) x2=(x) y1=(base) y2=(base + 5.0) {}
                text.tick x=(x) y=(base + 20.0) text-anchor="middle" { (edge(value, decimals)) }
            }
            text.label x=(LEFT + plot_width / 2.0) y=(HEIGHT - 16.0) text-anchor="middle" {
                "total points (out of " (max) ")"
            }
            text.label x="18" y=(TOP + plot_height / 2.0) text-anchor="middle"
                transform=(format!("rotate(-90 18.0 {})", at(TOP + plot_height / 2.0))) {
                "students"
            }
        }
    }
}

/// `1 student`, `2 students`.
fn many(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `low`, `mid` or `high`: the colour of a share's bar (its number is always shown too).
fn level(ratio: f64) -> &'static str {
    if ratio < 0.5 {
        "low"
    } else if ratio < 0.8 {
        "mid"
    } else {
        "high"
    }
}

fn share_cells(share: Share) -> Markup {
    html! {
        td.num { (share.passed) " / " (share.graded) }
        td.share {
            span class={ "bar " (level(share.ratio())) } aria-hidden="true" {
                span style=(format!("width:{:.1}%", share.ratio() * 100.0)) {}
            }
            " " (share.percent())
        }
    }
}

fn hidden_badge(hidden: bool) -> Markup {
    html! {
        @if hidden {
            " " span.badge title="run only at regrade, by the instructor" { "hidden" }
        }
    }
}

fn kata_table(columns: &[Column], graded: &[&StudentReport]) -> Markup {
    section(
        "katas",
        "Katas and tests",
        html! {
            @if columns.is_empty() {
                p.empty { "No kata was graded." }
            } @else {
                p {
                    "For each kata, in course order, the students who passed all of its tests, and \
                    under it, each test: of the " (graded.len()) " graded students. Short bars show \
                    the concepts the class struggles with. Tests marked " span.badge { "hidden" }
                    " are the instructor's, run only at regrade."
                }
                table.katas {
                    thead { tr {
                        th scope="col" { "kata / test" } th.num scope="col" { "mean points" }
                        th.num scope="col" { "passed" } th scope="col" { "share passing" }
                    } }
                    @for column in columns { (kata_rows(column, graded)) }
                }
            }
        },
    )
}

/// A kata's row in the table of katas, and its tests' rows under it.
fn kata_rows(column: &Column, graded: &[&StudentReport]) -> Markup {
    let share = kata_share(column, graded);
    let earned: Vec<f64> = graded
        .iter()
        .filter_map(|s| column.of(s))
        .map(|k| k.points)
        .collect();
    let earned = points(mean(&earned));
    let hidden = column.hidden;
    html! {
        tbody.kata-group.hidden[hidden] {
            tr.kata.hidden[hidden] data-kata=(column.id) data-hidden=(hidden.to_string())
                data-passed=(share.passed) data-graded=(share.graded) data-share=(share.data())
                data-mean=(earned) {
                th scope="row" { (column.id) (hidden_badge(hidden)) }
                td.num { (earned) " / " (column.max_points) }
                (share_cells(share))
            }
            @for test in &column.tests {
                @let share = test_share(column, test, graded);
                tr.test.hidden[hidden] data-kata=(column.id) data-test=(test)
                    data-hidden=(hidden.to_string()) data-passed=(share.passed)
                    data-graded=(share.graded) data-share=(share.data()) {
                    th scope="row" { code { (test) } }
                    td {}
                    (share_cells(share))
                }
            }
            @for (name, sentence, students) in &known_mistakes(column, graded) {
                tr.mistake data-kata=(column.id) data-mistake=(name) data-students=(students) {
                    th scope="row" { "known mistake " code { (name) } ": " (sentence) }
                    td {}
                    td.num { (many(*students, "student")) }
                    td {}
                }
            }
        }
    }
}

/// The known mistakes the graded students' code for a kata fails like: (name, sentence,
/// how many students), the most common first.
fn known_mistakes(column: &Column, graded: &[&StudentReport]) -> Vec<(String, String, usize)> {
    let mut counted: Vec<(String, String, usize)> = Vec::new();
    for kata in graded.iter().filter_map(|s| column.of(s)) {
        let Some((name, sentence)) = &kata.mistake else {
            continue;
        };
        match counted.iter_mut().find(|(known, ..)| known == name) {
            Some((.., students)) => *students += 1,
            None => counted.push((name.clone(), sentence.clone(), 1)),
        }
    }
    counted.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    counted
}

/// An element id for a student: `student-NAME` when the name is made of letters,
/// digits, `-`, `_` and `.` (as GitHub's names are), anything else as `~` and its
/// bytes in hex, so two names never share an id and the id is also a URL fragment.
fn anchor(name: &str) -> String {
    let mut id = String::new();
    for byte in name.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                id.push(char::from(byte));
            }
            _ => id += &format!("~{byte:02x}"),
        }
    }
    id
}

/// The kata's module and name, split for the table's two header rows.
fn split_id(id: &str) -> (&str, &str) {
    id.split_once('/').unwrap_or(("", id))
}

/// Breaking opportunities after underscores, for narrow headers.
fn breakable(text: &str) -> Markup {
    html! {
        @for (i, part) in text.split('_').enumerate() {
            @if i > 0 { "_" wbr; }
            (part)
        }
    }
}

fn student_table(columns: &[Column], class: &Class) -> Markup {
    let any_hidden = columns.iter().any(|c| c.hidden);
    // The modules, over their katas' columns.
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for column in columns {
        let module = split_id(&column.id).0;
        match groups.last_mut() {
            Some((last, span)) if *last == module => *span += 1,
            _ => groups.push((module, 1)),
        }
    }
    section(
        "students",
        "Students",
        html! {
            p {
                "Each student's total and points per kata; a name links to the student's failures. \
                A cell is green when the kata earned all its points, amber for some, red for none."
            }
            div.scroll { table.students {
                thead {
                    tr {
                        th scope="col" rowspan="2" { "student" }
                        th.num scope="col" rowspan="2" { "total" }
                        @if any_hidden { th.num scope="col" rowspan="2" { "of which hidden" } }
                        @for (module, span) in &groups {
                            th.module scope="colgroup" colspan=(span) { (breakable(module)) }
                        }
                    }
                    tr {
                        @for column in columns {
                            @let note = if column.hidden { " (hidden)" } else { "" };
                            th.kata-name.hidden[column.hidden] scope="col"
                                title={ (column.id) (note) ", " (column.max_points) " points" } {
                                span { (split_id(&column.id).1) (note) }
                            }
                        }
                    }
                }
                tbody {
                    @for student in &class.students { (student_row(student, columns, any_hidden)) }
                }
            } }
        },
    )
}

/// A student's row in the table of students: total, and points per kata.
fn student_row(student: &StudentReport, columns: &[Column], any_hidden: bool) -> Markup {
    let id = anchor(&student.name);
    let reasons: Vec<String> = Reason::ALL
        .iter()
        .filter_map(|reason| {
            let count = student.notes.iter().filter(|n| n.reason == *reason).count();
            (count > 0).then(|| format!("{}: {count}", reason.column()))
        })
        .collect();
    let name = html! {
        th scope="row" {
            a href={ "#student-" (id) } { (student.name) }
            @if !student.notes.is_empty() {
                " " span.badge.note title={ (reasons.join(", ")) ": see the student's section" } {
                    (many(student.notes.len(), "note"))
                }
            }
        }
    };
    let (earned, max, hidden) = (total(student), max_total(student), hidden_total(student));
    html! {
        @if let Some(error) = &student.error {
            tr.student.error id={ "row-" (id) } data-student=(student.name)
                data-total=(points(0.0)) data-max="0" data-error="true" {
                (name)
                td.num { "—" }
                td.error colspan=(columns.len() + usize::from(any_hidden)) {
                    "not graded: " (first_line(error))
                }
            }
        } @else {
            tr.student id={ "row-" (id) } data-student=(student.name) data-total=(points(earned))
                data-max=(max) data-hidden-total=(points(hidden)) {
                (name)
                td.num.total { (points(earned)) " / " (max) }
                @if any_hidden { td.num { (points(hidden)) } }
                @for column in columns {
                    @if let Some(kata) = column.of(student) {
                        td class={ "num points " (fill(kata)) } data-kata=(kata.id)
                            data-hidden=(kata.hidden.to_string()) data-points=(points(kata.points)) {
                            (points(kata.points))
                        }
                    } @else {
                        td.num.absent title="not in this student's grade" { "—" }
                    }
                }
            }
        }
    }
}

/// `full`, `some` or `none`: the colour of a kata's cell, by the share of its points earned.
fn fill(kata: &KataReport) -> &'static str {
    let full = f64::from(kata.max_points);
    if kata.points >= full - 1e-9 && full > 0.0 {
        "full"
    } else if kata.points > 1e-9 {
        "some"
    } else {
        "none"
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// At most `n` characters of `text`, and `…` if there were more.
fn clip(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn message(text: &str) -> Markup {
    let text = text.trim_end();
    let long = text.lines().count() > LONG_LINES || text.chars().count() > LONG_CHARS;
    html! {
        @if text.is_empty() {
            span.quiet { "(no message)" }
        } @else if long {
            details { summary { (clip(first_line(text), 100)) } pre.message { (text) } }
        } @else {
            pre.message { (text) }
        }
    }
}

/// A student's section: their error, their notes under each reason, their failed tests.
fn student_detail(student: &StudentReport) -> Markup {
    let id = anchor(&student.name);
    let failed: Vec<(&KataReport, Vec<&TestReport>)> = student
        .katas
        .iter()
        .map(|k| (k, k.tests.iter().filter(|t| !t.passed).collect::<Vec<_>>()))
        .filter(|(_, tests)| !tests.is_empty())
        .collect();
    let count: usize = failed.iter().map(|(_, tests)| tests.len()).sum();
    html! {
        section.student-detail id={ "student-" (id) } data-student=(student.name)
            aria-labelledby={ "title-" (id) } {
            h3 id={ "title-" (id) } {
                (student.name) " "
                span.score {
                    @if student.error.is_some() { "not graded" }
                    @else { (points(total(student))) " / " (max_total(student)) }
                }
            }
            @if let Some(error) = &student.error {
                p.error { strong { "Could not be graded:" } }
                (message(error))
            }
            @for reason in Reason::ALL {
                @let notes: Vec<&Note> = student.notes.iter().filter(|n| n.reason == reason).collect();
                @if !notes.is_empty() {
                    h4 { (reason.heading()) }
                    ul.notes data-reason=(reason.column()) { @for note in notes { li { (note.text) } } }
                }
            }
            @if student.error.is_none() && count == 0 {
                p.all-passed { "Every test passed." }
            } @else if count > 0 {
                table.failures data-failed=(count) {
                    caption { (many(count, "test")) " failed" }
                    colgroup { col.kata-col; col.test-col; col; }
                    thead { tr {
                        th scope="col" { "kata" } th scope="col" { "test" }
                        th scope="col" { "why it failed" }
                    } }
                    tbody {
                        @for (kata, tests) in &failed {
                            @for (i, test) in tests.iter().enumerate() {
                                tr.failure data-kata=(kata.id) data-test=(test.name) {
                                    @if i == 0 {
                                        th scope="rowgroup" rowspan=(tests.len()) {
                                            (breakable(&kata.id)) (hidden_badge(kata.hidden)) br;
                                            span.quiet { (points(kata.points)) " / " (kata.max_points) }
                                        }
                                    }
                                    td { code { (test.name) } }
                                    td { (message(&test.message)) }
                                }
                            }
                        }
                    }
                }
            }
            p.back { a href={ "#row-" (id) } { "back to the students" } }
        }
    }
}

/// The page without what HTML forbids in text: control characters (a test's message may
/// hold a terminal's colours) become U+FFFD, and `\r` goes. The template escapes the rest.
fn clean(page: &str) -> String {
    page.chars()
        .filter(|c| *c != '\r')
        .map(|c| match c {
            '\n' | '\t' => c,
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// The page's style sheet, inline: the report is one file.
const STYLE: &str = include_str!("report/style.css");

#[cfg(test)]
mod browser;

#[cfg(test)]
mod tests {
    use super::*;

    pub fn test(name: &str, passed: bool, message: &str) -> TestReport {
        TestReport {
            name: name.into(),
            passed,
            message: message.into(),
        }
    }

    /// A kata whose points are shared by its tests, as `grade` shares them.
    pub fn kata(id: &str, max_points: u32, hidden: bool, tests: Vec<TestReport>) -> KataReport {
        let passed = tests.iter().filter(|t| t.passed).count();
        KataReport {
            id: id.into(),
            points: f64::from(max_points) * passed as f64 / tests.len().max(1) as f64,
            max_points,
            hidden,
            tests,
            mistake: None,
        }
    }

    fn shared(passed: usize, graded: usize) -> Share {
        Share { passed, graded }
    }

    pub fn student(name: &str, katas: Vec<KataReport>) -> StudentReport {
        StudentReport {
            name: name.into(),
            error: None,
            katas,
            notes: Vec::new(),
        }
    }

    /// A class of `n` students with a spread of results over three katas (one with
    /// hidden tests), one student who could not be graded and one with notes.
    pub fn sample(n: usize) -> Class {
        let mut students = Vec::new();
        // A small deterministic generator: the same class every run.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut coin = |p: f64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 1000) as f64 / 1000.0 < p
        };
        for i in 0..n {
            let name = format!("assignment-1-student{i:02}");
            let failing = "assertion `left == right` failed: the two fetches took 2 s of virtual \
                           time: they ran one after the other\n  left: 2s\n right: 1s";
            let long = (0..12)
                .map(|l| format!("line {l} of a long <panic> & its \"backtrace\""))
                .collect::<Vec<_>>()
                .join("\n");
            let mut katas = vec![
                kata(
                    "00_welcome/01_hello",
                    5,
                    false,
                    vec![
                        test("prints_hello", coin(0.95), "expected \"hello\""),
                        test(
                            "returns_the_greeting",
                            coin(0.9),
                            "expected `Hello, world!`",
                        ),
                    ],
                ),
                kata(
                    "01_how_async_works/02_countdown",
                    10,
                    false,
                    vec![
                        test("counts_down_lazily", coin(0.8), failing),
                        test("wakes_once_per_tick", coin(0.5), &long),
                        test("finishes_at_zero", coin(0.7), "timed out after 10 s"),
                    ],
                ),
                kata(
                    "01_how_async_works/02_countdown",
                    5,
                    true,
                    vec![
                        test(
                            "hidden_countdown_of_zero",
                            coin(0.4),
                            "returned Pending forever",
                        ),
                        test(
                            "hidden_many_countdowns",
                            coin(0.6),
                            "panicked at 'overflow'",
                        ),
                    ],
                ),
                kata(
                    "02_basic_patterns/02_racing",
                    10,
                    false,
                    vec![
                        test("the_first_to_finish_wins", coin(0.6), failing),
                        test(
                            "the_loser_is_cancelled",
                            coin(0.3),
                            "the loser ran to the end",
                        ),
                    ],
                ),
            ];
            // A known mistake, recognised in the code of those who fail its test.
            if !katas[1].tests[0].passed {
                katas[1].mistake = Some((
                    "sequential".into(),
                    "awaits each tick <in turn> & never \"lazily\".".into(),
                ));
            }
            students.push(student(&name, katas));
        }
        students.push(StudentReport {
            name: "o'brien & <co>".into(),
            error: Some("has no exercises/ folder: is it a student's repository?".into()),
            katas: Vec::new(),
            notes: Vec::new(),
        });
        if let Some(first) = students.first_mut() {
            first.notes = vec![
                Note::new(
                    Reason::Tampered,
                    "exercises/00_welcome/01_hello/tests/kata.rs (changed)",
                ),
                Note::new(
                    Reason::Flagged,
                    "exercises/02_basic_patterns/02_racing/src/lib.rs (std::process::exit)",
                ),
            ];
        }
        Class {
            title: "Async assignment 1 <spring>".into(),
            students,
        }
    }

    #[test]
    fn escapes_everything_a_student_can_write() {
        let mut class = sample(3);
        class.students[0].name = "<script>alert(1)</script>".into();
        class.students[1].katas[1].tests[0] = test("t", false, "</pre><img src=x onerror=1>");
        let page = html(&class);
        assert!(!page.contains("<script"), "a name is escaped");
        assert!(!page.contains("<img"), "a message is escaped");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("&lt;/pre&gt;&lt;img src=x onerror=1&gt;"));
        assert!(page.contains("<title>Async assignment 1 &lt;spring&gt;: class report</title>"));
        // The id and link stay one token, and the same.
        assert!(page.contains("id=\"student-~3cscript~3ealert~281~29~3c~2fscript~3e\""));
        assert!(page.contains("href=\"#student-~3cscript~3ealert~281~29~3c~2fscript~3e\""));

        // The same text in every field a student (or their code) writes: names, test names
        // and messages short and long, notes, an error. It arrives as text, never markup.
        let hostile = "<script>x()</script> & \"q\" onmouseover=\"y()\" 'a' </pre><b>\u{1b}[31m\r";
        let long = [hostile; 8].join("\n");
        class.title = hostile.into();
        for (i, student) in class.students.iter_mut().enumerate() {
            student.name = format!("{hostile}{i}");
            student.notes = vec![Note::new(Reason::Tampered, hostile)];
            for kata in &mut student.katas {
                kata.tests[0] = test(hostile, false, hostile);
                kata.tests[1] = test(&format!("{hostile} 2"), false, &long);
            }
        }
        let last = class.students.last_mut().unwrap();
        last.error = Some(hostile.into());
        last.katas.clear();
        let page = html(&class);
        let escaped = "&lt;script&gt;x()&lt;/script&gt; &amp; &quot;q&quot; onmouseover=&quot;y()&quot; \
                       'a' &lt;/pre&gt;&lt;b&gt;\u{fffd}[31m";
        // Title twice, each student's name in their row, link and section (and data-student
        // twice), note, test names twice per failure, messages...
        assert!(page.matches(escaped).count() > 40, "{page}");
        for raw in ["<script", "<b>", "\"y()\"", "\u{1b}", "\r"] {
            assert!(!page.contains(raw), "{raw:?} came through");
        }
        // Every tag in the page is one the report writes.
        let written = "!DOCTYPE html head meta title style body header h1 h2 h3 h4 dl div dt dd \
                       nav a main section figure svg desc line text g rect figcaption p span \
                       table thead tbody tr th td code wbr ul li strong caption colgroup col \
                       br details summary pre";
        for tag in page.split('<').skip(1) {
            let name = tag.trim_start_matches('/');
            let name = &name[..name.find([' ', '>']).unwrap_or(name.len())];
            assert!(written.split_whitespace().any(|w| w == name), "<{name}>");
        }
    }

    #[test]
    fn anchors_keep_plain_names_and_never_collide() {
        assert_eq!(anchor("assignment-1-octocat"), "assignment-1-octocat");
        assert_eq!(anchor("a_b.c"), "a_b.c");
        assert_eq!(anchor("a b"), "a~20b");
        assert_ne!(anchor("a~20b"), anchor("a b"));
        assert_eq!(anchor("é"), "~c3~a9");
    }

    #[test]
    fn bins_are_round_and_cover_the_maximum() {
        assert_eq!(bin_width(100.0), (10.0, 0));
        assert_eq!(bin_width(350.0), (25.0, 0));
        assert_eq!(bin_width(30.0), (2.0, 0));
        assert_eq!(bin_width(7.0), (0.5, 1));
        assert_eq!(bin_width(3.0), (0.2, 1));
        assert_eq!(bin_width(0.0), (1.0, 0));
        let (chart, decimals) = bins(&[0.0, 9.99, 10.0, 55.5, 99.996, 100.0], 100.0);
        assert_eq!(decimals, 0);
        assert_eq!(chart.len(), 10);
        assert_eq!((chart[0].from, chart[0].to), (0.0, 10.0));
        assert_eq!((chart[9].from, chart[9].to), (90.0, 100.0));
        let counts: Vec<usize> = chart.iter().map(|b| b.count).collect();
        // 99.996 shows as 100.00, and full marks go in the last bin.
        assert_eq!(counts, [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
        // A third of a point at a time: 10/3 * 3 is still in the top bin.
        let (chart, _) = bins(&[10.0 / 3.0 * 3.0], 10.0);
        assert_eq!(chart.last().unwrap().count, 1);
        // Nothing to earn: one bin holds everyone.
        let (chart, _) = bins(&[0.0, 0.0], 0.0);
        assert_eq!(
            chart,
            [Bin {
                from: 0.0,
                to: 1.0,
                count: 2
            }]
        );
    }

    #[test]
    fn the_chart_counts_every_graded_student() {
        let class = sample(12);
        let page = html(&class);
        let counts: usize = page
            .split("class=\"bin\"")
            .skip(1)
            .map(|bin| {
                let count = bin.split("data-count=\"").nth(1).unwrap();
                count[..count.find('"').unwrap()].parse::<usize>().unwrap()
            })
            .sum();
        assert_eq!(counts, 12, "the student with an error is left out");
        assert!(page.contains("1 student who could not be graded is not counted"));
        assert!(page.contains(">total points (out of 30)</text>"));
    }

    #[test]
    fn shares_are_of_the_graded_students_in_course_order() {
        let class = Class {
            title: "t".into(),
            students: vec![
                student(
                    "a",
                    vec![
                        kata(
                            "00_m/01_a",
                            2,
                            false,
                            vec![test("x", true, ""), test("y", true, "")],
                        ),
                        kata("00_m/02_b", 3, false, vec![test("z", false, "no")]),
                    ],
                ),
                student(
                    "b",
                    vec![
                        kata(
                            "00_m/01_a",
                            2,
                            false,
                            vec![test("x", true, ""), test("y", false, "")],
                        ),
                        kata("00_m/02_b", 3, false, vec![test("z", true, "")]),
                        kata("00_m/01_a", 1, true, vec![test("h", true, "")]),
                    ],
                ),
                student(
                    "c",
                    vec![kata(
                        "00_m/01_a",
                        2,
                        false,
                        vec![
                            test("x", false, ""),
                            test("w", true, ""),
                            test("y", false, ""),
                        ],
                    )],
                ),
                StudentReport {
                    error: Some("not a git repository".into()),
                    ..student("d", Vec::new())
                },
            ],
        };
        let columns = columns(&class);
        let keys: Vec<(&str, bool)> = columns.iter().map(|c| (c.id.as_str(), c.hidden)).collect();
        assert_eq!(
            keys,
            [
                ("00_m/01_a", false),
                ("00_m/01_a", true),
                ("00_m/02_b", false)
            ],
            "course order, a kata's hidden tests right after it, whatever order they came in"
        );
        assert_eq!(
            columns[0].tests,
            ["x", "w", "y"],
            "a test only one student has keeps its place"
        );
        assert_eq!(
            test_share(&columns[0], "w", &class.students.iter().collect::<Vec<_>>()),
            shared(1, 1),
            "of the students who have it"
        );
        let graded: Vec<&StudentReport> = class.students.iter().take(3).collect();
        let share = |kata: usize, test: &str| test_share(&columns[kata], test, &graded);
        assert_eq!(share(0, "x"), shared(2, 3));
        assert_eq!(share(0, "y"), shared(1, 3));
        assert_eq!(share(1, "h"), shared(1, 1));
        assert_eq!(share(2, "z"), shared(1, 2));
        assert_eq!(kata_share(&columns[0], &graded), shared(1, 3));
        assert_eq!(share(0, "x").data(), "0.67");
        assert_eq!(share(0, "x").percent(), "67%");
        let page = html(&class);
        assert!(page.contains("data-test=\"x\" data-hidden=\"false\" data-passed=\"2\" data-graded=\"3\" data-share=\"0.67\""));
        assert!(page.contains("data-test=\"h\" data-hidden=\"true\""));
        assert!(page.contains(
            "data-student=\"b\" data-total=\"5.00\" data-max=\"6\" data-hidden-total=\"1.00\""
        ));
        // Course order in the table: 01_a, its hidden tests, then 02_b.
        let a = page
            .find("<tr class=\"kata\" data-kata=\"00_m/01_a\"")
            .unwrap();
        let h = page
            .find("<tr class=\"kata hidden\" data-kata=\"00_m/01_a\"")
            .unwrap();
        let b = page
            .find("<tr class=\"kata\" data-kata=\"00_m/02_b\"")
            .unwrap();
        assert!(a < h && h < b);
        // A student without a kata others have shows a dash, not 0.
        assert!(page.contains("<td class=\"num absent\""));
    }

    #[test]
    fn an_empty_class_is_a_page_that_says_so() {
        let page = html(&Class {
            title: "Nobody".into(),
            students: Vec::new(),
        });
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<html lang=\"en\">"));
        assert!(page.contains("No students in this report."));
        assert!(page.contains("data-students=\"0\" data-graded=\"0\""));
        assert!(!page.contains("<svg"));
        assert!(
            !page.contains("href=\"#"),
            "no links to sections that are not there"
        );
        assert!(page.trim_end().ends_with("</html>"));
    }

    #[test]
    fn a_student_with_an_error_gets_a_row_and_a_section() {
        let class = Class {
            title: "t".into(),
            students: vec![
                StudentReport {
                    error: Some("holds a kata the course does not have: 09_x/01_y".into()),
                    notes: vec![Note::new(
                        Reason::Tampered,
                        "exercises/00_m/01_a/build.rs (added)",
                    )],
                    ..student("eve", Vec::new())
                },
                student(
                    "amy",
                    vec![kata("00_m/01_a", 4, false, vec![test("x", true, "")])],
                ),
            ],
        };
        let page = html(&class);
        assert!(page.contains(
            "<tr class=\"student error\" id=\"row-eve\" data-student=\"eve\" data-total=\"0.00\""
        ));
        assert!(page.contains("not graded: holds a kata the course does not have: 09_x/01_y"));
        let section = &page[page.find("id=\"student-eve\"").unwrap()..];
        let section = &section[..section.find("</section>").unwrap()];
        assert!(section.contains("Could not be graded"));
        assert!(section.contains("exercises/00_m/01_a/build.rs (added)"));
        assert!(page.contains("data-graded=\"1\" data-errors=\"1\""));
        assert!(page.contains("Every test passed."), "amy's section");
        assert!(page.contains("data-mean=\"4.00\""));
    }

    #[test]
    fn long_messages_fold_and_failures_link_back() {
        let long = (0..12)
            .map(|l| format!("line {l} of a long <panic>"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut amy = student(
            "amy",
            vec![kata(
                "00_m/01_a",
                3,
                false,
                vec![
                    test("short", false, "timed out after 10 s"),
                    test("long", false, &long),
                    test("silent", false, ""),
                    test("fine", true, "never shown"),
                ],
            )],
        );
        amy.notes = vec![
            Note::new(
                Reason::Flagged,
                "exercises/00_m/01_a/src/lib.rs (std::process::exit)",
            ),
            Note::new(Reason::TimedOut, "00_m/01_a short"),
        ];
        let page = html(&Class {
            title: "t".into(),
            students: vec![amy],
        });
        assert!(page.contains("<pre class=\"message\">timed out after 10 s</pre>"));
        assert!(page.contains(
            "<details><summary>line 0 of a long &lt;panic&gt;</summary><pre class=\"message\">\
             line 0 of a long &lt;panic&gt;\nline 1"
        ));
        assert!(page.contains("(no message)"));
        assert!(
            !page.contains("never shown"),
            "passed tests are not failures"
        );
        assert!(page.contains("data-failed=\"3\""));
        assert!(page.contains("<li>exercises/00_m/01_a/src/lib.rs (std::process::exit)</li>"));
        // Each reason apart, under its own heading, named as the gradebook's column.
        assert!(page.contains(
            "<h4>Code grading refuses</h4><ul class=\"notes\" data-reason=\"flagged_code\">"
        ));
        assert!(page.contains(
            "<ul class=\"notes\" data-reason=\"timed_out_tests\"><li>00_m/01_a short</li>"
        ));
        assert!(
            page.contains("title=\"flagged_code: 1, timed_out_tests: 1: see the student's section\">2 notes</span>"),
            "the row says there are notes, and why"
        );
        assert!(page.contains("href=\"#student-amy\""));
        assert!(page.contains("id=\"student-amy\""));
        assert!(page.contains("href=\"#row-amy\""));
        assert!(page.contains("id=\"row-amy\""));
        assert!(!page.contains("<script"), "no script at all");
        assert_eq!(
            page.matches("http").count(),
            1,
            "nothing from the network: the one URL is the SVG namespace"
        );
    }
}
