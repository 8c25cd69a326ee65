//! Points per kata: each graded test run alone, passed only when the test harness
//! itself logged it so; protected files changed or code the scan refuses void a kata.
//! The table, `results.json` and the classroom result.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::grading::confine;
use crate::grading::scan::{self, Finding};
use crate::grading::sealed::Seals;
use xtask::course::manifest::{GradedKata, Tampered, kata_of};
use xtask::course::mistakes::Signature;
use xtask::course::{Course, Kata};
use xtask::engine::cancel::Cancel;
use xtask::engine::compile::{build_tests, build_tests_into};
use xtask::engine::harness::{self, Outcome};
use xtask::engine::recognise;
use xtask::engine::run::{self, DEFAULT_TIMEOUT};
use xtask::util::error::Result;
use xtask::util::ui;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    Pass,
    Fail,
    /// Not graded: protected files were changed.
    Error,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
        }
    }
}

#[derive(Debug, Clone)]
pub struct TestGrade {
    pub name: String,
    pub status: Status,
    /// Why it did not pass, as a learner reads it.
    pub message: String,
    /// The harness stopped it at its time limit (the gradebook's `timed_out_tests`).
    pub timed_out: bool,
    /// How it ended, as a wrong answer's signature says it.
    pub sign: Sign,
}

/// A test's part in a verdict's signature (`course::mistakes`).
#[derive(Debug, Clone, PartialEq)]
pub enum Sign {
    Passed,
    /// Failed, and how (`failed: <its message's first line>`, `timed out`, …).
    Failed(String),
    /// Not run, not compiled, or stopped at a `todo!()`: never a known mistake.
    Unsigned,
}

#[derive(Debug, Clone)]
pub struct KataGrade {
    /// `00_welcome/01_hello`
    pub id: String,
    /// `hello`
    pub name: String,
    pub max_points: u32,
    pub tests: Vec<TestGrade>,
    /// Protected files whose change voids this kata's points.
    pub tampered: Vec<Tampered>,
    /// What grading refuses in the kata's code (`scan`): it voids the kata's points.
    pub flagged: Vec<Finding>,
    /// Test binaries grading refused to run (the gradebook's `refused_binaries`).
    pub refused: Vec<String>,
}

impl KataGrade {
    /// Its verdict's signature, to hold against the wrong answers' (`course::mistakes`):
    /// `None` when a test did not run, stopped at a `todo!()`, or the grade was voided.
    pub fn signature(&self) -> Option<Signature> {
        let mut signature = Signature::new();
        for test in &self.tests {
            match &test.sign {
                Sign::Passed if test.status == Status::Pass => {}
                Sign::Failed(how) if test.status == Status::Fail => {
                    signature.insert(test.name.clone(), how.clone());
                }
                _ => return None,
            }
        }
        Some(signature)
    }

    pub fn passed(&self) -> usize {
        self.tests
            .iter()
            .filter(|t| t.status == Status::Pass)
            .count()
    }

    /// What one passing test is worth: the kata's points, shared equally.
    pub fn test_points(&self) -> f64 {
        if self.tests.is_empty() {
            0.0
        } else {
            f64::from(self.max_points) / self.tests.len() as f64
        }
    }

    pub fn points(&self) -> f64 {
        self.passed() as f64 * self.test_points()
    }

    /// What `test` earned: its share of the kata's points if it passed, else nothing.
    pub fn test_score(&self, test: &TestGrade) -> f64 {
        if test.status == Status::Pass {
            self.test_points()
        } else {
            0.0
        }
    }

    pub fn status(&self) -> Status {
        if !self.tampered.is_empty() || !self.flagged.is_empty() || !self.refused.is_empty() {
            Status::Error
        } else if self.passed() == self.tests.len() {
            Status::Pass
        } else {
            Status::Fail
        }
    }
}

/// Grades `katas` in the course at `course.root`: one build, then each graded test alone.
pub fn grade_katas(
    course: &Course,
    katas: &[(&Kata, &GradedKata)],
    tampered: &[Tampered],
    timeout: Option<Duration>,
) -> Result<Vec<KataGrade>> {
    // The course's own files void every kata; a kata's files void that kata; a file
    // under exercises/ outside any kata (a learner's notes) is reported, and voids none.
    let voiding = |kata: &Kata| -> Vec<Tampered> {
        let id = kata.id();
        tampered
            .iter()
            .filter(|t| match kata_of(&t.path) {
                Some(owner) => owner == id,
                None => !outside_katas(&t.path),
            })
            .cloned()
            .collect()
    };
    // What is not code (links, other crate targets) is found before the build; what the
    // compiler refuses, by the build: either way, the kata's code never runs.
    let flagged: Vec<Vec<Finding>> = katas
        .iter()
        .map(|(kata, _)| scan::kata(&course.root, kata))
        .collect();
    let packages: Vec<&str> = katas
        .iter()
        .zip(&flagged)
        .filter(|((kata, _), flagged)| voiding(kata).is_empty() && flagged.is_empty())
        .map(|((kata, _), _)| kata.name.as_str())
        .collect();
    let build = if packages.is_empty() {
        Default::default()
    } else {
        match &course.target_dir {
            Some(target_dir) => build_tests_into(&course.root, target_dir, &packages, false)?,
            None => build_tests(&course.root, &packages, false, Cancel::NEVER)?,
        }
    };
    // Sealed before any test runs; each kata's tests confined to a scratch folder of its
    // own, emptied at the end.
    let seals = Seals::of(&build);
    let scratch = build_target_dir(course)
        .join("awaitlings-scratch")
        .join(std::process::id().to_string());
    let mut grades = Vec::new();
    for ((kata, graded), mut flagged) in katas.iter().zip(flagged) {
        flagged.extend(scan::refusals(&course.root, kata, &build));
        let id = kata.id();
        let voiding = voiding(kata);
        let limit = run::time_limit(kata, timeout.or(Some(DEFAULT_TIMEOUT)));
        let not_graded = if !voiding.is_empty() {
            let files: Vec<&str> = voiding.iter().map(|t| t.path.as_str()).collect();
            Some(format!(
                "not graded: protected files were changed ({})",
                files.join(", ")
            ))
        } else if !flagged.is_empty() {
            let found: Vec<String> = flagged.iter().map(Finding::to_string).collect();
            Some(format!(
                "not graded: the kata's code uses what grading refuses ({})",
                found.join("; ")
            ))
        } else {
            None
        };
        let mut refused = Vec::new();
        let tests = match not_graded {
            None => {
                let run = Run {
                    build: &build,
                    seals: &seals,
                    launcher: confine::launcher(&scratch.join(&kata.name)),
                    limit,
                };
                let mut tests = run_graded_tests(course, &run, kata, graded, &mut refused);
                // A kata one of whose binaries was rewritten earns nothing: what passed
                // before may have been the rewriter's work too.
                if !refused.is_empty() {
                    for test in &mut tests {
                        test.status = Status::Error;
                        test.message = format!("not graded: {RESEALED}");
                    }
                }
                tests
            }
            Some(message) => graded
                .tests
                .iter()
                .map(|(_, name)| TestGrade {
                    name: name.clone(),
                    status: Status::Error,
                    message: message.clone(),
                    timed_out: false,
                    sign: Sign::Unsigned,
                })
                .collect(),
        };
        grades.push(KataGrade {
            id,
            name: kata.name.clone(),
            max_points: graded.points,
            tests,
            tampered: voiding,
            flagged,
            refused,
        });
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(grades)
}

/// Where the build went: the course's target dir, or grading's own.
fn build_target_dir(course: &Course) -> std::path::PathBuf {
    course
        .target_dir
        .clone()
        .unwrap_or_else(|| xtask::engine::compile::target_dir(&course.root))
}

/// What running a kata's graded tests needs.
struct Run<'a> {
    build: &'a xtask::engine::compile::Build,
    seals: &'a Seals,
    /// Starts each test confined (`confine`), where the OS allows.
    launcher: Vec<std::ffi::OsString>,
    limit: Duration,
}

/// Why a binary is refused when its seal is broken.
const RESEALED: &str = "its test binary changed after the build (something that ran before \
                        it rewrote it): refused";

/// Each graded test alone; `refused` gets the binaries whose seal broke.
fn run_graded_tests(
    course: &Course,
    run: &Run,
    kata: &Kata,
    graded: &GradedKata,
    refused_binaries: &mut Vec<String>,
) -> Vec<TestGrade> {
    let build = run.build;
    let dir = &kata.exercise_dir;
    let library_errors = build.failures_of(dir).find(|f| f.in_library);
    // Each built target's tests, as the binary itself lists them.
    let mut listed: BTreeMap<&str, (&xtask::engine::compile::TestBinary, Vec<String>)> =
        BTreeMap::new();
    let mut refused: BTreeMap<&str, String> = BTreeMap::new();
    for binary in build.binaries_of(dir) {
        let target = binary.target.as_str();
        // Only `tests/<target>.rs` of the kata itself is a graded target, and only one.
        let expected = dir.join("tests").join(format!("{target}.rs"));
        if !same_file(&binary.src_path, &expected) {
            refused.insert(
                target,
                format!(
                    "the test target `{target}` is built from {}, not from tests/{target}.rs",
                    binary.src_path.display()
                ),
            );
            continue;
        }
        if listed.contains_key(target) {
            refused.insert(target, format!("two test targets are named `{target}`"));
            continue;
        }
        if !run.seals.intact(&binary.path) {
            refused.insert(target, format!("tests/{target}.rs: {RESEALED}"));
            refused_binaries.push(binary.path.display().to_string());
            continue;
        }
        // A binary that cannot list its tests (`harness = false`) lists none.
        let names = harness::list_tests(binary).unwrap_or_default();
        listed.insert(target, (binary, names));
    }
    let mut tests = Vec::new();
    for (target, name) in &graded.tests {
        let failure = build.failures_of(dir).find(|f| &f.target == target);
        let mut timed_out = false;
        let mut sign = Sign::Unsigned;
        let (status, message) = if let Some(failure) = library_errors.or(failure) {
            let what = if failure.in_library {
                "the kata's code".to_string()
            } else {
                format!("tests/{target}.rs")
            };
            (
                Status::Fail,
                format!(
                    "{what} does not compile: {}",
                    first_line(failure.errors.first())
                ),
            )
        } else if let Some(why) = refused.get(target.as_str()) {
            (Status::Fail, format!("not graded: {why}"))
        } else {
            match listed.get(target.as_str()) {
                Some((binary, _)) if !run.seals.intact(&binary.path) => {
                    refused_binaries.push(binary.path.display().to_string());
                    (
                        Status::Fail,
                        format!("not graded: tests/{target}.rs: {RESEALED}"),
                    )
                }
                Some((binary, names)) if names.contains(name) => {
                    let outcome =
                        harness::run_graded_test(binary, name, run.limit, &run.launcher).outcome;
                    timed_out = matches!(outcome, Outcome::TimedOut(_));
                    sign = match recognise::trait_of(&outcome) {
                        None => Sign::Passed,
                        Some(_) if recognise::incomplete(&outcome) => Sign::Unsigned,
                        Some(how) => Sign::Failed(how),
                    };
                    match outcome {
                        Outcome::Passed => (Status::Pass, String::new()),
                        // Results files are read by machines and web pages: no colour.
                        outcome => (
                            Status::Fail,
                            ui::plain(&xtask::view::failure::explain(&outcome, &kata.name, course)),
                        ),
                    }
                }
                Some(_) => (
                    Status::Fail,
                    format!("no test `{name}` in tests/{target}.rs: was it renamed or removed?"),
                ),
                None => (
                    Status::Fail,
                    format!(
                        "no test target tests/{target}.rs was built: is it gone from the kata?"
                    ),
                ),
            }
        };
        tests.push(TestGrade {
            name: name.clone(),
            status,
            message,
            timed_out,
            sign,
        });
    }
    refused_binaries.sort();
    refused_binaries.dedup();
    tests
}

/// A path under `exercises/` that is in no kata's folder: not the course's, not a kata's.
pub fn outside_katas(path: &str) -> bool {
    path.starts_with("exercises/") && kata_of(path).is_none()
}

/// Whether two paths name one file (cargo may report a path with `..` in it).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn first_line(text: Option<&String>) -> &str {
    text.and_then(|t| t.lines().next()).unwrap_or("")
}

/// Every kata's points together (a tampered kata's are 0: its tests are not graded).
pub fn total_points(grades: &[KataGrade]) -> f64 {
    // From 0.0: the `sum()` of no floats is -0.0, which prints as "-0.00".
    grades
        .iter()
        .map(KataGrade::points)
        .fold(0.0, |sum, p| sum + p)
}

pub fn points(value: f64) -> String {
    format!("{value:.2}")
}

/// The console view: a row per kata, the total, and every tampered file.
pub fn table(grades: &[KataGrade], tampered: &[Tampered]) -> String {
    let width = grades.iter().map(|g| g.id.len()).max().unwrap_or(4).max(5);
    let mut text = format!(
        "{}\n",
        ui::bold(&format!(
            "{:width$}  {:>9}  {:>15}",
            "kata", "tests", "points"
        ))
    );
    for grade in grades {
        let tests = format!("{}/{}", grade.passed(), grade.tests.len());
        let score = format!("{} / {}", points(grade.points()), grade.max_points);
        let (score, note) = match grade.status() {
            Status::Pass => (ui::green(&format!("{score:>15}")), String::new()),
            Status::Fail => (format!("{score:>15}"), String::new()),
            Status::Error if !grade.refused.is_empty() => (
                ui::red(&format!("{:>15}", format!("0.00 / {}", grade.max_points))),
                ui::red("  refused: a test binary was rewritten"),
            ),
            Status::Error if grade.tampered.is_empty() => (
                ui::red(&format!("{:>15}", format!("0.00 / {}", grade.max_points))),
                ui::red("  flagged: not graded"),
            ),
            Status::Error => (
                ui::red(&format!("{:>15}", format!("0.00 / {}", grade.max_points))),
                ui::red("  tampered: not graded"),
            ),
        };
        text += &format!("{:width$}  {tests:>9}  {score}{note}\n", grade.id);
        let early = grade
            .tests
            .iter()
            .filter(|t| t.message.contains(harness::NO_VERDICT))
            .count();
        if early > 0 {
            text += &ui::red(&format!(
                "  {} ended the test process before the test harness could record a pass \
                 (`std::process::exit`?): they earn nothing\n",
                ui::plural(early, "test")
            ));
        }
    }
    let earned = total_points(grades);
    let max: u32 = grades.iter().map(|g| g.max_points).sum();
    let passed: usize = grades.iter().map(KataGrade::passed).sum();
    let total: usize = grades.iter().map(|g| g.tests.len()).sum();
    text += &ui::bold(&format!(
        "{:width$}  {:>9}  {:>15}",
        "total",
        format!("{passed}/{total}"),
        format!("{} / {max}", points(earned))
    ));
    text += "\n";
    let (outside, counted): (Vec<&Tampered>, Vec<&Tampered>) =
        tampered.iter().partition(|t| outside_katas(&t.path));
    if !counted.is_empty() {
        text += &format!(
            "\n{}\n",
            ui::red("protected files differ from the course's (they earn nothing):")
        );
        for file in counted {
            text += &format!("  {}  {}\n", file.path, file.how);
        }
    }
    if !outside.is_empty() {
        text += &format!(
            "\n{}\n",
            ui::dim("files under exercises/ outside any kata (set aside, counted against none):")
        );
        for file in outside {
            text += &format!("  {}  {}\n", file.path, file.how);
        }
    }
    let flagged: Vec<&Finding> = grades.iter().flat_map(|g| &g.flagged).collect();
    if !flagged.is_empty() {
        text += &format!(
            "\n{}\n",
            ui::red(
                "code that grading refuses (it can interfere with the test harness; \
                 those katas earn nothing):"
            )
        );
        for finding in flagged {
            text += &format!("  {finding}\n");
        }
    }
    text
}

/// An Exercism-style `results.json` (version 2), with each kata's points added.
pub fn results_json(grades: &[KataGrade]) -> String {
    let overall = if grades.iter().any(|g| g.status() == Status::Error) {
        Status::Error
    } else if grades.iter().all(|g| g.status() == Status::Pass) {
        Status::Pass
    } else {
        Status::Fail
    };
    let tampered: BTreeSet<String> = grades
        .iter()
        .flat_map(|g| &g.tampered)
        .map(|t| format!("{} ({})", t.path, t.how))
        .collect();
    let flagged: Vec<String> = grades
        .iter()
        .flat_map(|g| &g.flagged)
        .map(Finding::to_string)
        .collect();
    let mut messages = Vec::new();
    if !tampered.is_empty() {
        let files: Vec<&str> = tampered.iter().map(String::as_str).collect();
        messages.push(format!(
            "protected files were changed, and the katas they belong to earn nothing: {}",
            files.join(", ")
        ));
    }
    if !flagged.is_empty() {
        messages.push(format!(
            "code that grading refuses, and the katas it is in earn nothing: {}",
            flagged.join("; ")
        ));
    }
    let tests: Vec<Value> = grades
        .iter()
        .flat_map(|grade| {
            grade.tests.iter().map(|test| {
                json!({
                    "name": format!("{} {}", grade.id, test.name),
                    "kata": grade.id,
                    "status": test.status.word(),
                    "message": (!test.message.is_empty()).then_some(&test.message),
                    "output": null,
                    "points": round(grade.test_score(test)),
                })
            })
        })
        .collect();
    json!({
        "version": 2,
        "status": overall.word(),
        "message": (!messages.is_empty()).then(|| messages.join(". ")),
        "points": round(total_points(grades)),
        "max_points": grades.iter().map(|g| g.max_points).sum::<u32>(),
        "tests": tests,
    })
    .to_string()
}

/// The result one classroom grading step hands the reporter: its `max_score`, and a
/// score per test that adds up to what `table` shows.
pub fn classroom_json(grade: &KataGrade) -> String {
    let tests: Vec<Value> = grade
        .tests
        .iter()
        .map(|test| {
            json!({
                "name": test.name,
                "status": test.status.word(),
                "score": grade.test_score(test),
                "message": test.message,
                "test_code": format!("cargo xtask check {}", grade.name),
                "filename": "",
                "line_no": 0,
                "duration": 0,
            })
        })
        .collect();
    json!({
        "version": 1,
        "status": grade.status().word(),
        "max_score": grade.max_points,
        "tests": tests,
    })
    .to_string()
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grade(statuses: &[Status], points: u32) -> KataGrade {
        KataGrade {
            id: "00_a/01_b".into(),
            name: "b".into(),
            max_points: points,
            tests: statuses
                .iter()
                .enumerate()
                .map(|(i, &status)| TestGrade {
                    name: format!("t0{i}"),
                    status,
                    message: String::new(),
                    timed_out: false,
                    sign: Sign::Unsigned,
                })
                .collect(),
            tampered: vec![],
            flagged: vec![],
            refused: vec![],
        }
    }

    #[test]
    fn shares_a_katas_points_among_its_tests() {
        let partial = grade(&[Status::Pass, Status::Fail, Status::Pass], 10);
        assert_eq!(points(partial.points()), "6.67");
        assert_eq!(partial.status(), Status::Fail);
        assert_eq!(grade(&[Status::Pass; 4], 5).points(), 5.0);
        let mut tampered = grade(&[Status::Error; 2], 5);
        tampered.tampered.push(Tampered {
            path: "exercises/00_a/01_b/tests/kata.rs".into(),
            how: "changed",
        });
        assert_eq!(tampered.points(), 0.0);
        assert_eq!(tampered.status(), Status::Error);
    }

    #[test]
    fn the_classroom_scores_add_up_to_the_table() {
        let partial = grade(&[Status::Pass, Status::Fail, Status::Pass], 10);
        let json: Value = serde_json::from_str(&classroom_json(&partial)).unwrap();
        assert_eq!(json["max_score"], 10);
        assert_eq!(json["status"], "fail");
        let tests = json["tests"].as_array().unwrap();
        let total: f64 = tests.iter().map(|t| t["score"].as_f64().unwrap()).sum();
        assert_eq!(points(total), points(partial.points()));
        assert!(table(&[partial], &[]).contains("6.67 / 10"));
    }

    #[test]
    fn results_json_is_exercism_shaped_with_points() {
        let mut failed = grade(&[Status::Fail], 10);
        failed.tests[0].message = "took 2 s: \"sequential\"\n<left>".into();
        let text = results_json(&[grade(&[Status::Pass, Status::Pass], 5), failed]);
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["version"], 2);
        assert_eq!(json["status"], "fail");
        assert_eq!(json["message"], Value::Null);
        assert_eq!(json["points"], 5.0);
        assert_eq!(json["max_points"], 15);
        let tests = json["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 3);
        for key in ["name", "status", "message", "output"] {
            assert!(tests[0].get(key).is_some(), "{key}");
        }
        assert_eq!(tests[0]["name"], "00_a/01_b t00");
        assert_eq!(tests[0]["points"], 2.5);
        assert_eq!(tests[0]["message"], Value::Null);
        assert_eq!(tests[2]["message"], "took 2 s: \"sequential\"\n<left>");
        // What the learner's reader (cargo's messages) reads back, for the classroom test.
        let reread = xtask::util::json::Json::parse(&text).unwrap();
        assert_eq!(reread.get("tests").as_array().len(), 3);
    }
}
