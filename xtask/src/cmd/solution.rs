//! `cargo xtask solution [KATA]`: the reference solution as a diff against the learner's
//! code, once the kata passes (or with `--force`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::course::pick;
use crate::course::progress::{Progress, Status, source_hash};
use crate::course::{Course, Kata};
use crate::engine::cancel::Cancel;
use crate::engine::harness::Outcome;
use crate::engine::run::{self, KataResult, Target};
use crate::util::diff;
use crate::util::error::{Error, Result};
use crate::{util::files, util::ui};

pub fn solution(
    course: &Course,
    query: Option<&str>,
    force: bool,
    timeout: Option<Duration>,
) -> Result<ExitCode> {
    if !course.root.join("solutions").is_dir() {
        return Err(
            "this copy of the course has no reference solutions (there is no \
             `solutions/` folder: a classroom template leaves them out). Your tests are the \
             judge: `cargo xtask check` runs them all."
                .into(),
        );
    }
    let mut progress = Progress::load(&course.root);
    let kata = pick(course, query, &progress)?;
    if !kata.solution_dir.join("src").is_dir() {
        return Err(Error::new(format!(
            "{} has no reference solution ({} is missing)",
            kata.id(),
            course.relative(&kata.solution_dir.join("src"))
        )));
    }
    let hash = source_hash(&course.root, kata);
    let failing = match progress.status(kata, hash) {
        Some(Status::Passed) => None,
        // Shown anyway: no need to run the tests (a hanging one takes its whole limit)
        // only to count the failures.
        Some(Status::Failing) if force => Some("it failed when last run".to_string()),
        // Unknown, or failing with no count: the tests say how many fail.
        _ => {
            eprintln!(
                "{}",
                ui::dim(&format!(
                    "running {}'s tests to see whether it passes…",
                    kata.id()
                ))
            );
            let target = Target {
                kata,
                solution: false,
                with_references: false,
            };
            let limit = run::time_limit(kata, timeout);
            let result = run::run_kata(
                &course.root,
                target,
                limit,
                false,
                &mut |_, _, _| {},
                Cancel::NEVER,
            )?;
            crate::view::failure::say_broken(course, &result.broken);
            progress.record(kata, hash, result.status());
            progress.save(&course.root);
            (!result.passed()).then(|| what_fails(&result))
        }
    };
    match (&failing, force) {
        (Some(what), false) => {
            println!(
                "{} does not pass yet: {what}.\nThe solution is shown once it passes: try \
                 first, it sticks better. `cargo xtask solution {} --force` shows it anyway.",
                kata.id(),
                kata.name
            );
            return Ok(ExitCode::FAILURE);
        }
        (Some(what), true) => println!(
            "{} {} does not pass yet ({what}): here is the solution anyway.\n",
            ui::yellow("warning:"),
            kata.id()
        ),
        (None, _) => {}
    }
    println!(
        "{}\n{}\n",
        ui::bold(&format!("the reference solution of {}", kata.id())),
        ui::dim("--- your code   +++ the reference solution")
    );
    let mut differences = 0;
    for note in compare(course, kata) {
        match note {
            FileNote::Diff(text) => {
                differences += 1;
                println!("{}\n", colourise(&text));
            }
            FileNote::Same(path) => println!("{}", ui::dim(&format!("{path}: the same"))),
            FileNote::Given(path) => println!(
                "{}",
                ui::dim(&format!(
                    "{path}: given code; the solution includes your copy of it as it is (#[path])"
                ))
            ),
            FileNote::OnlyYours(path) => {
                differences += 1;
                println!("{path}: only in your code (the solution has no such file)\n");
            }
        }
    }
    if differences == 0 {
        println!("Your code is the reference solution, to the byte.");
    } else if failing.is_none() {
        println!("Both pass the same tests: where they differ, compare the approaches.");
    }
    Ok(ExitCode::SUCCESS)
}

/// What is still wrong, for the refusal and the `--force` warning.
fn what_fails(result: &KataResult) -> String {
    let does_not_compile = |r: &&run::StepResult| matches!(r.outcome, Outcome::DoesNotCompile(_));
    // When the kata's own code does not compile, that is the run's one step.
    if result.results.iter().any(|r| r.label == run::KATA_CODE) {
        return "your code does not compile yet".into();
    }
    let failing = result.total - result.passed_count();
    let verb = if failing == 1 { "fails" } else { "fail" };
    let files = result.results.iter().filter(does_not_compile).count();
    let note = match files {
        0 => String::new(),
        n => format!(
            ", counting {} that does not compile",
            ui::plural(n, "test file")
        ),
    };
    format!(
        "{failing} of {} {verb}{note}",
        ui::plural(result.total, "test")
    )
}

#[derive(Debug, PartialEq)]
enum FileNote {
    /// A unified diff, the learner's file first.
    Diff(String),
    Same(String),
    /// An exercise file the solution compiles as it is, through `#[path]`.
    Given(String),
    OnlyYours(String),
}

/// Every file of the kata's `src/` on either side, in path order.
fn compare(course: &Course, kata: &Kata) -> Vec<FileNote> {
    let mine = kata.exercise_dir.join("src");
    let theirs = kata.solution_dir.join("src");
    let names: BTreeSet<PathBuf> = [&mine, &theirs]
        .into_iter()
        .flat_map(|src| {
            files::under(src, false)
                .into_iter()
                .filter_map(move |path| path.strip_prefix(src).ok().map(PathBuf::from))
        })
        .collect();
    let included = path_includes(&theirs);
    let mut notes = Vec::new();
    for name in names {
        let (my_file, their_file) = (mine.join(&name), theirs.join(&name));
        let (my_name, their_name) = (course.relative(&my_file), course.relative(&their_file));
        let note = match (read(&my_file), read(&their_file)) {
            (Some(_), None) if included.contains(&normalise(&my_file)) => FileNote::Given(my_name),
            (Some(_), None) => FileNote::OnlyYours(my_name),
            (mine, theirs) => {
                let (old, old_name) = match mine {
                    Some(text) => (text, my_name.clone()),
                    None => (String::new(), "/dev/null".to_string()),
                };
                let new = theirs.unwrap_or_default();
                match diff::unified(&old, &new, &old_name, &their_name) {
                    Some(text) => FileNote::Diff(text),
                    None => FileNote::Same(my_name),
                }
            }
        };
        notes.push(note);
    }
    notes
}

fn read(path: &Path) -> Option<String> {
    fs::read(path)
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// The files the solution's sources include with `#[path = "…"]`, resolved.
fn path_includes(src: &Path) -> BTreeSet<PathBuf> {
    let mut included = BTreeSet::new();
    for file in files::under(src, false) {
        let Some(text) = read(&file) else { continue };
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("#[path") else {
                continue;
            };
            let Some(target) = rest.split('"').nth(1) else {
                continue;
            };
            let dir = file.parent().unwrap_or(src);
            included.insert(normalise(&dir.join(target)));
        }
    }
    included
}

/// `a/b/../c` → `a/c`, without touching the file system (the file may not exist).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Red for the learner's lines, green for the solution's, on a terminal.
fn colourise(diff: &str) -> String {
    let lines: Vec<String> = diff
        .lines()
        .map(|line| {
            if line.starts_with("---") || line.starts_with("+++") {
                ui::bold(line)
            } else if line.starts_with("@@") {
                ui::dim(line)
            } else if line.starts_with('-') {
                ui::red(line)
            } else if line.starts_with('+') {
                ui::green(line)
            } else {
                line.to_string()
            }
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_still_fails() {
        use crate::engine::harness::Outcome;
        use crate::engine::run::StepResult;
        let step = |label: &str, outcome: Outcome| StepResult {
            label: label.into(),
            outcome,
            tests: 1,
        };
        let result = |results: Vec<StepResult>, total| KataResult {
            steps: results.len(),
            results,
            total,
            references: vec![],
            warnings: vec![],
            cancelled: false,
            broken: vec![],
        };
        let failed = || Outcome::Failed("no".into());
        let three_of_five = result(
            vec![
                step("t01", Outcome::Passed),
                step("t02", failed()),
                step("tests/kata_send.rs", Outcome::DoesNotCompile(vec![])),
                step("t04", Outcome::Passed),
                step("t05", failed()),
            ],
            5,
        );
        assert_eq!(
            what_fails(&three_of_five),
            "3 of 5 tests fail, counting 1 test file that does not compile"
        );
        let one = result(vec![step("t01", failed())], 1);
        assert_eq!(what_fails(&one), "1 of 1 test fails");
        let broken = result(
            vec![step("the kata's code", Outcome::DoesNotCompile(vec![]))],
            1,
        );
        assert_eq!(what_fails(&broken), "your code does not compile yet");
    }

    #[test]
    fn resolves_path_includes_lexically() {
        assert_eq!(
            normalise(Path::new(
                "/c/solutions/07/05/src/../../../../exercises/07/05/src/a.rs"
            )),
            PathBuf::from("/c/exercises/07/05/src/a.rs")
        );
    }

    #[test]
    fn compares_files_on_either_side_and_given_ones() {
        let root = std::env::temp_dir().join(format!("awaitlings-solution-{}", std::process::id()));
        let exercise = root.join("exercises/07_c/05_k");
        let solution = root.join("solutions/07_c/05_k");
        fs::create_dir_all(exercise.join("src")).unwrap();
        fs::create_dir_all(solution.join("src/extra")).unwrap();
        fs::write(
            exercise.join("src/lib.rs"),
            "mod given;\nfn f() { todo!() }\n",
        )
        .unwrap();
        fs::write(exercise.join("src/given.rs"), "pub fn g() {}\n").unwrap();
        fs::write(exercise.join("src/mine.rs"), "// scratch\n").unwrap();
        fs::write(exercise.join("src/same.rs"), "pub const A: u8 = 1;\n").unwrap();
        fs::write(solution.join("src/same.rs"), "pub const A: u8 = 1;\n").unwrap();
        fs::write(
            solution.join("src/lib.rs"),
            "#[path = \"../../../../exercises/07_c/05_k/src/given.rs\"]\nmod given;\nfn f() {}\n",
        )
        .unwrap();
        fs::write(solution.join("src/extra/helper.rs"), "pub fn h() {}\n").unwrap();
        let course = Course {
            root: root.clone(),
            katas: vec![Kata {
                module: "07_c".into(),
                folder: "05_k".into(),
                name: "k".into(),
                number: 1,
                exercise_dir: exercise,
                solution_dir: solution,
                timeout: None,
                points: 0,
                reference_tests: vec![],
                hang: None,
                allow: vec![],
            }],
            target_dir: None,
        };
        let notes = compare(&course, &course.katas[0]);
        fs::remove_dir_all(&root).unwrap();
        assert_eq!(notes.len(), 5, "{notes:?}");
        assert_eq!(
            notes[0],
            FileNote::Diff(
                "--- /dev/null\n+++ solutions/07_c/05_k/src/extra/helper.rs\n@@ -0,0 +1,1 @@\n\
                 +pub fn h() {}\n"
                    .into()
            )
        );
        assert_eq!(
            notes[1],
            FileNote::Given("exercises/07_c/05_k/src/given.rs".into())
        );
        let FileNote::Diff(lib) = &notes[2] else {
            panic!("lib.rs differs: {:?}", notes[2]);
        };
        assert!(
            lib.contains(
                "@@ -1,2 +1,3 @@\n+#[path = \"../../../../exercises/07_c/05_k/src/given.rs\"]\n \
                          mod given;\n-fn f() { todo!() }\n+fn f() {}\n"
            ),
            "{lib}"
        );
        assert_eq!(
            notes[3],
            FileNote::OnlyYours("exercises/07_c/05_k/src/mine.rs".into())
        );
        assert_eq!(
            notes[4],
            FileNote::Same("exercises/07_c/05_k/src/same.rs".into())
        );
    }
}
