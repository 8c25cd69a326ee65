//! The class report: one self-contained HTML page, written by `regrade` beside the
//! gradebook. It shows the class's score distribution (an SVG histogram), the share of
//! students passing each kata and each test (so an instructor sees which concept the
//! class struggles with), and a row per student linking to that student's failures,
//! notes or error.
//!
//! No network, no script: inline CSS and SVG only, readable printed. Everything that
//! comes from students (folder names, test messages) is escaped. Numbers are written
//! as the gradebook writes them (`grade::points`), and the figures a test reads are in
//! `data-` attributes: `data-total` on each student row, `data-share` (passed over
//! graded, two decimals) on each kata and test row, `data-count` on each chart bin.

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
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"cargo xtask regrade\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    page += &format!("<header>\n<h1>{}</h1>\n", escape(&title));
    page += &summary(class, &graded);
    if !class.students.is_empty() {
        page += "<nav aria-label=\"sections\"><a href=\"#distribution\">Score distribution</a> \
                 <a href=\"#katas\">Katas and tests</a> <a href=\"#students\">Students</a> \
                 <a href=\"#details\">Each student's failures</a></nav>\n";
    }
    page += "</header>\n<main>\n";
    if class.students.is_empty() {
        page += "<p class=\"empty\">No students in this report.</p>\n";
    } else {
        page += &distribution(&graded, class.students.len() - graded.len());
        page += &kata_table(&columns, &graded);
        page += &student_table(&columns, class);
        page += &details(class);
    }
    page += "</main>\n</body>\n</html>\n";
    page
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

fn summary(class: &Class, graded: &[&StudentReport]) -> String {
    let totals: Vec<f64> = graded.iter().map(|s| total(s)).collect();
    let max = graded.iter().map(|s| max_total(s)).max().unwrap_or(0);
    let errors = class.students.len() - graded.len();
    let mut text = format!(
        "<dl class=\"summary\" id=\"summary\" data-students=\"{}\" data-graded=\"{}\" \
         data-errors=\"{errors}\">\n<div><dt>students</dt><dd>{}</dd></div>\n",
        class.students.len(),
        graded.len(),
        class.students.len()
    );
    if errors > 0 {
        text += &format!("<div class=\"bad\"><dt>not graded</dt><dd>{errors}</dd></div>\n");
    }
    if !graded.is_empty() {
        let lowest = totals.iter().copied().fold(f64::INFINITY, f64::min);
        let highest = totals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for (what, value) in [
            ("mean", mean(&totals)),
            ("median", median(&totals)),
            ("lowest", lowest),
            ("highest", highest),
        ] {
            text += &format!(
                "<div><dt>{what}</dt><dd data-{what}=\"{0}\">{0}</dd></div>\n",
                points(value)
            );
        }
        text += &format!("<div><dt>out of</dt><dd data-max=\"{max}\">{max}</dd></div>\n");
    }
    text + "</dl>\n"
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

fn distribution(graded: &[&StudentReport], errors: usize) -> String {
    let totals: Vec<f64> = graded.iter().map(|s| total(s)).collect();
    let max = graded.iter().map(|s| max_total(s)).max().unwrap_or(0);
    let mut text = String::from(
        "<section id=\"distribution\" aria-labelledby=\"distribution-title\">\n\
         <h2 id=\"distribution-title\">Score distribution</h2>\n",
    );
    if graded.is_empty() {
        text += "<p class=\"empty\">No student could be graded.</p>\n</section>\n";
        return text;
    }
    let (bins, decimals) = bins(&totals, f64::from(max));
    text += "<figure>\n";
    text += &histogram(&bins, decimals, max);
    let left_out = match errors {
        0 => String::new(),
        1 => " 1 student who could not be graded is not counted.".into(),
        n => format!(" {n} students who could not be graded are not counted."),
    };
    text += &format!(
        "<figcaption>Total points of each of the {} graded students, out of {max}, in bins of \
         {} points (each bin holds its lower edge; the last also its upper).{left_out}\
         </figcaption>\n</figure>\n</section>\n",
        graded.len(),
        edge(bins[0].to, decimals)
    );
    text
}

fn edge(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}")
}

/// The chart: an inline SVG, its bars and counts labelled, its data also in `<desc>`.
fn histogram(bins: &[Bin], decimals: usize, max: u32) -> String {
    const WIDTH: f64 = 760.0;
    const HEIGHT: f64 = 330.0;
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 28.0;
    const BOTTOM: f64 = 70.0;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let highest = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    // Integer ticks, about five of them, and the axis up to a whole tick.
    let step = highest.div_ceil(5).max(1);
    let top = highest.div_ceil(step) * step;
    let y = |count: usize| TOP + plot_height * (1.0 - count as f64 / top as f64);
    let bar = plot_width / bins.len() as f64;
    let description: Vec<String> = bins
        .iter()
        .map(|b| {
            format!(
                "{} to {}: {}",
                edge(b.from, decimals),
                edge(b.to, decimals),
                b.count
            )
        })
        .collect();
    let mut svg = format!(
        "<svg class=\"histogram\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"histogram-title histogram-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n\
         <title id=\"histogram-title\">Students per band of total points</title>\n\
         <desc id=\"histogram-desc\">Students per band of total points (out of {max}): {}.</desc>\n",
        description.join("; ")
    );
    for tick in (0..=top).step_by(step) {
        let at = y(tick);
        svg += &format!(
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{at:.1}\" y2=\"{at:.1}\"/>\
             <text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>\n",
            WIDTH - RIGHT,
            LEFT - 8.0,
            at + 4.0
        );
    }
    for (i, bin) in bins.iter().enumerate() {
        let x = LEFT + i as f64 * bar;
        let height = plot_height * bin.count as f64 / top as f64;
        let label = format!(
            "{} to {} points: {}",
            edge(bin.from, decimals),
            edge(bin.to, decimals),
            student_count(bin.count)
        );
        svg += &format!(
            "<g class=\"bin\" data-from=\"{}\" data-to=\"{}\" data-count=\"{}\">\
             <title>{label}</title>\
             <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\"/>\
             <text class=\"count{}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text></g>\n",
            edge(bin.from, decimals),
            edge(bin.to, decimals),
            bin.count,
            x + 2.0,
            y(bin.count),
            (bar - 4.0).max(1.0),
            if bin.count == 0 { " zero" } else { "" },
            x + bar / 2.0,
            y(bin.count) - 6.0,
            bin.count
        );
    }
    // Axes, and an edge label under each bin boundary.
    let base = TOP + plot_height;
    svg += &format!(
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{base}\"/>\
         <line class=\"axis\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{base}\" y2=\"{base}\"/>\n",
        WIDTH - RIGHT
    );
    for i in 0..=bins.len() {
        let x = LEFT + i as f64 * bar;
        let value = if i == bins.len() {
            bins[i - 1].to
        } else {
            bins[i].from
        };
        svg += &format!(
            "<line class=\"axis\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{base}\" y2=\"{}\"/>\
             <text class=\"tick\" x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            base + 5.0,
            base + 20.0,
            edge(value, decimals)
        );
    }
    svg += &format!(
        "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">total points (out of {max})</text>\n\
         <text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" \
         transform=\"rotate(-90 {0:.1} {1:.1})\">students</text>\n</svg>\n",
        LEFT + plot_width / 2.0,
        HEIGHT - 16.0,
        18.0,
        TOP + plot_height / 2.0
    );
    svg
}

fn student_count(n: usize) -> String {
    if n == 1 {
        "1 student".into()
    } else {
        format!("{n} students")
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

fn share_cells(share: Share) -> String {
    format!(
        "<td class=\"num\">{} / {}</td><td class=\"share\"><span class=\"bar {}\" aria-hidden=\"true\">\
         <span style=\"width:{:.1}%\"></span></span> {}</td>",
        share.passed,
        share.graded,
        level(share.ratio()),
        share.ratio() * 100.0,
        share.percent()
    )
}

fn hidden_badge(hidden: bool) -> &'static str {
    if hidden {
        " <span class=\"badge\" title=\"run only at regrade, by the instructor\">hidden</span>"
    } else {
        ""
    }
}

fn kata_table(columns: &[Column], graded: &[&StudentReport]) -> String {
    let mut text = String::from(
        "<section id=\"katas\" aria-labelledby=\"katas-title\">\n\
         <h2 id=\"katas-title\">Katas and tests</h2>\n",
    );
    if columns.is_empty() {
        text += "<p class=\"empty\">No kata was graded.</p>\n</section>\n";
        return text;
    }
    text += &format!(
        "<p>For each kata, in course order, the students who passed all of its tests, and \
         under it, each test: of the {} graded students. Short bars show the concepts the class \
         struggles with. Tests marked <span class=\"badge\">hidden</span> are the instructor's, \
         run only at regrade.</p>\n\
         <table class=\"katas\">\n<thead><tr><th scope=\"col\">kata / test</th>\
         <th scope=\"col\" class=\"num\">mean points</th><th scope=\"col\" class=\"num\">passed</th>\
         <th scope=\"col\">share passing</th></tr></thead>\n",
        graded.len()
    );
    for column in columns {
        let share = kata_share(column, graded);
        let earned: Vec<f64> = graded
            .iter()
            .filter_map(|s| column.of(s))
            .map(|k| k.points)
            .collect();
        let hidden = if column.hidden { " hidden" } else { "" };
        text += &format!(
            "<tbody class=\"kata-group{hidden}\">\n<tr class=\"kata{hidden}\" data-kata=\"{}\" \
             data-hidden=\"{}\" data-passed=\"{}\" data-graded=\"{}\" data-share=\"{}\" \
             data-mean=\"{}\"><th scope=\"row\">{}{}</th><td class=\"num\">{} / {}</td>{}</tr>\n",
            escape(&column.id),
            column.hidden,
            share.passed,
            share.graded,
            share.data(),
            points(mean(&earned)),
            escape(&column.id),
            hidden_badge(column.hidden),
            points(mean(&earned)),
            column.max_points,
            share_cells(share)
        );
        for test in &column.tests {
            let share = test_share(column, test, graded);
            text += &format!(
                "<tr class=\"test{hidden}\" data-kata=\"{}\" data-test=\"{}\" data-hidden=\"{}\" \
                 data-passed=\"{}\" data-graded=\"{}\" data-share=\"{}\"><th scope=\"row\">\
                 <code>{}</code></th><td></td>{}</tr>\n",
                escape(&column.id),
                escape(test),
                column.hidden,
                share.passed,
                share.graded,
                share.data(),
                escape(test),
                share_cells(share)
            );
        }
        text += "</tbody>\n";
    }
    text + "</table>\n</section>\n"
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
fn breakable(text: &str) -> String {
    escape(text).replace('_', "_<wbr>")
}

fn student_table(columns: &[Column], class: &Class) -> String {
    let any_hidden = columns.iter().any(|c| c.hidden);
    let mut text = String::from(
        "<section id=\"students\" aria-labelledby=\"students-title\">\n\
         <h2 id=\"students-title\">Students</h2>\n\
         <p>Each student's total and points per kata; a name links to the student's failures. \
         A cell is green when the kata earned all its points, amber for some, red for none.</p>\n\
         <div class=\"scroll\"><table class=\"students\">\n<thead>\n<tr>\
         <th scope=\"col\" rowspan=\"2\">student</th><th scope=\"col\" rowspan=\"2\" class=\"num\">total</th>",
    );
    if any_hidden {
        text += "<th scope=\"col\" rowspan=\"2\" class=\"num\">of which hidden</th>";
    }
    // The modules, over their katas' columns.
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for column in columns {
        let module = split_id(&column.id).0;
        match groups.last_mut() {
            Some((last, span)) if *last == module => *span += 1,
            _ => groups.push((module, 1)),
        }
    }
    for (module, span) in &groups {
        text += &format!(
            "<th scope=\"colgroup\" colspan=\"{span}\" class=\"module\">{}</th>",
            breakable(module)
        );
    }
    text += "</tr>\n<tr>";
    for column in columns {
        let name = split_id(&column.id).1;
        let (class_name, note) = if column.hidden {
            (" hidden", " (hidden)")
        } else {
            ("", "")
        };
        text += &format!(
            "<th scope=\"col\" class=\"kata-name{class_name}\" title=\"{}{note}, {} points\">\
             <span>{}{note}</span></th>",
            escape(&column.id),
            column.max_points,
            escape(name)
        );
    }
    text += "</tr>\n</thead>\n<tbody>\n";
    for student in &class.students {
        let id = anchor(&student.name);
        let name = escape(&student.name);
        let notes = match student.notes.len() {
            0 => String::new(),
            n => {
                let reasons: Vec<String> = Reason::ALL
                    .iter()
                    .filter_map(|reason| {
                        let count = student.notes.iter().filter(|n| n.reason == *reason).count();
                        (count > 0).then(|| format!("{}: {count}", reason.column()))
                    })
                    .collect();
                format!(
                    " <span class=\"badge note\" title=\"{}: see the student's section\">{}</span>",
                    reasons.join(", "),
                    if n == 1 {
                        "1 note".to_string()
                    } else {
                        format!("{n} notes")
                    }
                )
            }
        };
        let link = format!("<th scope=\"row\"><a href=\"#student-{id}\">{name}</a>{notes}</th>");
        if let Some(error) = &student.error {
            let span = columns.len() + usize::from(any_hidden);
            text += &format!(
                "<tr class=\"student error\" id=\"row-{id}\" data-student=\"{name}\" \
                 data-total=\"{}\" data-max=\"0\" data-error=\"true\">{link}\
                 <td class=\"num\">—</td><td colspan=\"{span}\" class=\"error\">not graded: {}</td></tr>\n",
                points(0.0),
                escape(first_line(error))
            );
            continue;
        }
        let earned = total(student);
        let max = max_total(student);
        text += &format!(
            "<tr class=\"student\" id=\"row-{id}\" data-student=\"{name}\" data-total=\"{}\" \
             data-max=\"{max}\" data-hidden-total=\"{}\">{link}<td class=\"num total\">{} / {max}</td>",
            points(earned),
            points(hidden_total(student)),
            points(earned)
        );
        if any_hidden {
            text += &format!("<td class=\"num\">{}</td>", points(hidden_total(student)));
        }
        for column in columns {
            text += &match column.of(student) {
                Some(kata) => {
                    let full = f64::from(kata.max_points);
                    let fill = if kata.points >= full - 1e-9 && full > 0.0 {
                        "full"
                    } else if kata.points > 1e-9 {
                        "some"
                    } else {
                        "none"
                    };
                    format!(
                        "<td class=\"num points {fill}\" data-kata=\"{}\" data-hidden=\"{}\" \
                         data-points=\"{2}\">{2}</td>",
                        escape(&kata.id),
                        kata.hidden,
                        points(kata.points)
                    )
                }
                None => {
                    "<td class=\"num absent\" title=\"not in this student's grade\">—</td>".into()
                }
            };
        }
        text += "</tr>\n";
    }
    text + "</tbody>\n</table></div>\n</section>\n"
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

fn message(text: &str) -> String {
    let text = text.trim_end();
    if text.is_empty() {
        return "<span class=\"quiet\">(no message)</span>".into();
    }
    let long = text.lines().count() > LONG_LINES || text.chars().count() > LONG_CHARS;
    if long {
        format!(
            "<details><summary>{}</summary><pre class=\"message\">{}</pre></details>",
            escape(&clip(first_line(text), 100)),
            escape(text)
        )
    } else {
        format!("<pre class=\"message\">{}</pre>", escape(text))
    }
}

fn details(class: &Class) -> String {
    let mut text = String::from(
        "<section id=\"details\" aria-labelledby=\"details-title\">\n\
         <h2 id=\"details-title\">Each student's failures</h2>\n",
    );
    for student in &class.students {
        let id = anchor(&student.name);
        let name = escape(&student.name);
        let score = match &student.error {
            Some(_) => "not graded".to_string(),
            None => format!("{} / {}", points(total(student)), max_total(student)),
        };
        text += &format!(
            "<section class=\"student-detail\" id=\"student-{id}\" data-student=\"{name}\" \
             aria-labelledby=\"title-{id}\">\n<h3 id=\"title-{id}\">{name} \
             <span class=\"score\">{score}</span></h3>\n"
        );
        if let Some(error) = &student.error {
            text += &format!(
                "<p class=\"error\"><strong>Could not be graded:</strong></p>{}\n",
                message(error)
            );
        }
        for reason in Reason::ALL {
            let notes: Vec<&Note> = student.notes.iter().filter(|n| n.reason == reason).collect();
            if notes.is_empty() {
                continue;
            }
            text += &format!(
                "<h4>{}</h4>\n<ul class=\"notes\" data-reason=\"{}\">\n",
                reason.heading(),
                reason.column()
            );
            for note in notes {
                text += &format!("<li>{}</li>\n", escape(&note.text));
            }
            text += "</ul>\n";
        }
        let failed: Vec<(&KataReport, Vec<&TestReport>)> = student
            .katas
            .iter()
            .map(|k| (k, k.tests.iter().filter(|t| !t.passed).collect::<Vec<_>>()))
            .filter(|(_, tests)| !tests.is_empty())
            .collect();
        let count: usize = failed.iter().map(|(_, tests)| tests.len()).sum();
        if student.error.is_none() && count == 0 {
            text += "<p class=\"all-passed\">Every test passed.</p>\n";
        } else if count > 0 {
            text += &format!(
                "<table class=\"failures\" data-failed=\"{count}\">\n<caption>{} failed</caption>\n\
                 <colgroup><col class=\"kata-col\"><col class=\"test-col\"><col></colgroup>\n\
                 <thead><tr><th scope=\"col\">kata</th><th scope=\"col\">test</th>\
                 <th scope=\"col\">why it failed</th></tr></thead>\n<tbody>\n",
                if count == 1 {
                    "1 test".to_string()
                } else {
                    format!("{count} tests")
                }
            );
            for (kata, tests) in &failed {
                for (i, test) in tests.iter().enumerate() {
                    let kata_cell = if i == 0 {
                        format!(
                            "<th scope=\"rowgroup\" rowspan=\"{}\">{}{}<br><span class=\"quiet\">{} / {}</span></th>",
                            tests.len(),
                            breakable(&kata.id),
                            hidden_badge(kata.hidden),
                            points(kata.points),
                            kata.max_points
                        )
                    } else {
                        String::new()
                    };
                    text += &format!(
                        "<tr class=\"failure\" data-kata=\"{}\" data-test=\"{}\">{kata_cell}\
                         <td><code>{}</code></td><td>{}</td></tr>\n",
                        escape(&kata.id),
                        escape(&test.name),
                        escape(&test.name),
                        message(&test.message)
                    );
                }
            }
            text += "</tbody>\n</table>\n";
        }
        text += &format!(
            "<p class=\"back\"><a href=\"#row-{id}\">back to the students</a></p>\n</section>\n"
        );
    }
    text + "</section>\n"
}

/// Text made safe for HTML, in content and in quoted attributes alike. Control
/// characters (which HTML forbids) become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out += "&amp;",
            '<' => out += "&lt;",
            '>' => out += "&gt;",
            '"' => out += "&quot;",
            '\'' => out += "&#39;",
            '\n' | '\t' => out.push(c),
            '\r' => {}
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1b1f24; --quiet: #4d5761; --line: #d0d7de;
  --head: #f3f5f8; --blue: #2b5c9e; --low: #b42318; --mid: #b25e09; --high: #1d7a3e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1480px; padding: 24px 28px 48px; color: var(--ink);
  background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 1.7rem; margin: 0 0 12px; }
h2 { font-size: 1.3rem; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 0 0 8px; }
h4 { font-size: 1rem; margin: 12px 0 4px; }
a { color: var(--blue); }
a:focus-visible { outline: 3px solid var(--blue); outline-offset: 2px; }
code, pre { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.quiet { color: var(--quiet); }
.summary { display: flex; flex-wrap: wrap; gap: 10px; margin: 0 0 14px; }
.summary div { border: 1px solid var(--line); border-radius: 6px; padding: 6px 14px; background: var(--head); }
.summary dt { font-size: .8rem; color: var(--quiet); text-transform: uppercase; letter-spacing: .04em; }
.summary dd { margin: 0; font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.summary .bad dd { color: var(--low); }
nav { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: .95rem; }
figure { margin: 0; }
figcaption { color: var(--quiet); font-size: .9rem; max-width: 760px; }
section > p { max-width: 90ch; }
.histogram { width: 100%; max-width: 760px; height: auto; display: block; }
.histogram rect { fill: var(--blue); }
.histogram .grid { stroke: #e4e8ec; }
.histogram .axis { stroke: var(--ink); }
.histogram text { fill: var(--ink); font-size: 13px; }
.histogram .count { font-weight: 600; }
.histogram .count.zero { fill: var(--quiet); font-weight: 400; }
.histogram .label { font-size: 14px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--head); font-weight: 600; vertical-align: bottom; }
.num { text-align: right; white-space: nowrap; }
table.katas { width: 100%; }
.katas tr.kata th, .katas tr.kata td { border-top: 2px solid var(--line); font-weight: 600; background: #fafbfc; }
.katas tr.test th, .katas tr.test td { padding-top: 2px; padding-bottom: 2px; font-size: .92rem; }
.katas tr.test th { font-weight: 400; padding-left: 28px; }
.katas td.share { width: 34%; white-space: nowrap; }
.bar { display: inline-block; vertical-align: middle; width: calc(100% - 52px); height: 12px;
  border: 1px solid #8a959f; border-radius: 2px; background: #fff; }
.bar > span { display: block; height: 100%; }
.bar.low > span { background: var(--low); }
.bar.mid > span { background: var(--mid); }
.bar.high > span { background: var(--high); }
.badge { display: inline-block; font-size: .72rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: .04em; padding: 0 6px; border: 1px solid #6e3fa3; color: #5a2d8c;
  border-radius: 9px; background: #f4eefb; vertical-align: 1px; }
.scroll { overflow-x: auto; }
table.students tbody th { white-space: nowrap; position: sticky; left: 0; background: #fff; z-index: 1; }
table.students thead tr:first-child th:first-child { position: sticky; left: 0; z-index: 2; }
.badge.note { border-color: var(--low); color: var(--low); background: #fdf0ef; margin-left: 4px; }
table.students th.module { text-align: center; font-size: .8rem; border-left: 2px solid #fff; }
table.students th.kata-name { font-size: .78rem; font-weight: 500; padding: 6px 2px; text-align: center; }
table.students th.kata-name span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
table.students th.kata-name.hidden { color: #5a2d8c; background: #f4eefb; }
table.students td.points { font-size: .8rem; padding: 3px 4px; border-left: 1px solid #fff; }
table.students td, table.students tbody th { padding-top: 3px; padding-bottom: 3px; }
td.full { background: #dcf1e3; }
td.some { background: #fcefd2; }
td.none { background: #fbe3e1; }
td.absent { color: var(--quiet); text-align: center; }
td.total { font-weight: 600; }
td.error, p.error { color: var(--low); }
tr.student:hover th, tr.student:hover td.num:not(.points) { background: #eef3fa; }
.student-detail { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 14px 0; }
.student-detail .score { font-weight: 400; color: var(--quiet); margin-left: 8px; }
.student-detail:target { border-color: var(--blue); box-shadow: 0 0 0 2px var(--blue); }
table.failures { width: 100%; table-layout: fixed; }
table.failures col.kata-col { width: 26%; }
table.failures col.test-col { width: 26%; }
table.failures code { overflow-wrap: anywhere; }
table.failures caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.failures th[scope=rowgroup] { font-weight: 500; width: 24%; background: #fafbfc; }
pre.message { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
details summary { cursor: pointer; font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
details[open] summary { margin-bottom: 4px; color: var(--quiet); }
.notes { margin: 0 0 8px; padding-left: 22px; }
.all-passed { color: var(--high); font-weight: 600; }
.back { margin: 8px 0 0; font-size: .9rem; }
.empty { color: var(--quiet); font-style: italic; }
@page wide { size: A4 landscape; margin: 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav, .back { display: none; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  tr, .histogram, figure { break-inside: avoid; }
  .student-detail { break-inside: avoid-page; }
  #students { page: wide; }
  table.students { font-size: 8pt; }
  table.students th.module, table.students th.kata-name { font-size: 7pt; padding: 2px 1px; }
  table.students td.points { font-size: 7pt; padding: 1px 2px; }
  table.students tbody th { position: static; }
  details::details-content { content-visibility: visible; display: block; }
  details summary { display: none; }
  .bar, .bar > span, td.full, td.some, td.none, .badge, thead th, .summary div {
    print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

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
        }
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
            let katas = vec![
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
        assert_eq!(
            escape("<b>\"Tom\" & 'Jerry'</b>"),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("a\u{1b}[31mred\r\n"), "a\u{fffd}[31mred\n");
        let mut class = sample(2);
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
            Share {
                passed: 1,
                graded: 1
            },
            "of the students who have it"
        );
        let graded: Vec<&StudentReport> = class.students.iter().take(3).collect();
        let share = |kata: usize, test: &str| test_share(&columns[kata], test, &graded);
        assert_eq!(
            share(0, "x"),
            Share {
                passed: 2,
                graded: 3
            }
        );
        assert_eq!(
            share(0, "y"),
            Share {
                passed: 1,
                graded: 3
            }
        );
        assert_eq!(
            share(1, "h"),
            Share {
                passed: 1,
                graded: 1
            }
        );
        assert_eq!(
            share(2, "z"),
            Share {
                passed: 1,
                graded: 2
            }
        );
        assert_eq!(
            kata_share(&columns[0], &graded),
            Share {
                passed: 1,
                graded: 3
            }
        );
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
            "<h4>Code grading refuses</h4>\n<ul class=\"notes\" data-reason=\"flagged_code\">"
        ));
        assert!(page.contains(
            "<ul class=\"notes\" data-reason=\"timed_out_tests\">\n<li>00_m/01_a short</li>"
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
