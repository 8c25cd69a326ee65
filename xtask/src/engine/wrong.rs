//! Wrong answers as checked fixtures. Beside each solution, `wrong/<name>/` is a whole
//! learner-style `src/` that compiles but gets something wrong; the kata's test file
//! lists each one (`//! - \`name\` (t03, t04): the mistake`) with the tests that must
//! reject it. `verify` builds every fixture against the kata's own test files, in a
//! generated workspace that shares the course's target dir (no dependency is compiled
//! twice), runs its tests twice, and checks that the named tests fail both times and
//! that both runs agree on every test.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::course::{Course, Kata};
use crate::engine::compile::{self, Build};
use crate::engine::harness::Outcome;
use crate::util::error::{Context, Result};
use crate::util::files;

/// The folder beside a solution that holds its wrong answers.
pub const FOLDER: &str = "wrong";

#[derive(Debug, Clone, PartialEq)]
pub struct Fixture {
    /// `no_wake`
    pub name: String,
    /// The folder standing in for `src/`.
    pub dir: PathBuf,
    /// The mistake, from the first line of its `lib.rs` (`//! Wrong: …`).
    pub mistake: Option<String>,
}

impl Fixture {
    /// The package the generated workspace builds it as.
    pub fn package(&self, kata: &Kata) -> String {
        format!("{}__wrong__{}", kata.name, self.name)
    }
}

/// A kata's fixtures, sorted by name.
pub fn fixtures(kata: &Kata) -> Vec<Fixture> {
    let mut found: Vec<Fixture> = fs::read_dir(kata.solution_dir.join(FOLDER))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let dir = entry.path();
            let mistake = fs::read_to_string(dir.join("lib.rs"))
                .ok()
                .and_then(|text| {
                    let first = text.lines().next()?.trim();
                    let mistake = first.strip_prefix("//! Wrong:")?.trim();
                    (!mistake.is_empty()).then(|| mistake.to_string())
                });
            Some(Fixture { name, dir, mistake })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// What a kata's test files say of its wrong answers: fixture name → the tests (or
/// `tests/<target>.rs` labels) that must fail on it, read from `//! - \`name\` (…):`
/// lines in the files' headers.
pub fn declared(kata: &Kata) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    for path in files::under(&kata.exercise_dir.join("tests"), false) {
        if path.extension().is_some_and(|e| e == "rs") {
            found.extend(parse_header(&fs::read_to_string(&path).unwrap_or_default()));
        }
    }
    found
}

fn parse_header(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    for line in text.lines() {
        let Some(doc) = line.trim_start().strip_prefix("//!") else {
            continue;
        };
        let Some(rest) = doc.trim_start().strip_prefix("- `") else {
            continue;
        };
        let Some((name, rest)) = rest.split_once("` (") else {
            continue;
        };
        let Some((tests, _)) = rest.split_once("):") else {
            continue;
        };
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if valid {
            let tests = tests.split(',').map(|t| t.trim().to_string()).collect();
            found.insert(name.to_string(), tests);
        }
    }
    found
}

/// The generated workspace: one package per fixture, the kata's name for its library,
/// the kata's own test files for its tests, the solution's dependencies.
pub fn workspace_dir(course: &Course) -> PathBuf {
    compile::target_dir(&course.root).join("awaitlings/wrong-answers")
}

/// Writes the generated workspace for `katas`' fixtures and builds it. Returns `None`
/// when no kata has fixtures.
pub fn build(course: &Course, katas: &[&Kata], colour: bool) -> Result<Option<Build>> {
    let dir = workspace_dir(course);
    let _ = fs::remove_dir_all(&dir);
    let mut members = Vec::new();
    for kata in katas {
        let manifest = fs::read_to_string(kata.solution_dir.join("Cargo.toml"))
            .with_context(|| format!("cannot read {}'s solution manifest", kata.name))?;
        for fixture in fixtures(kata) {
            let package = fixture.package(kata);
            let text = package_manifest(&manifest, &package, kata, &fixture.dir);
            files::write(&dir.join(&package).join("Cargo.toml"), &text)?;
            members.push(package);
        }
    }
    if members.is_empty() {
        return Ok(None);
    }
    let root_manifest = fs::read_to_string(course.root.join("Cargo.toml"))
        .context("cannot read the course's Cargo.toml")?;
    files::write(
        &dir.join("Cargo.toml"),
        &workspace_manifest(&root_manifest, &members, &course.root),
    )?;
    // The course's lock file: the same versions, so the course's built dependencies fit.
    if let Ok(lock) = fs::read(course.root.join("Cargo.lock")) {
        fs::write(dir.join("Cargo.lock"), lock)
            .with_context(|| format!("cannot write {}", dir.display()))?;
    }
    compile::build_workspace_tests(&dir, &compile::target_dir(&course.root), colour).map(Some)
}

/// The course's root manifest with `members` in place of its own: the same workspace
/// dependencies, lints and profiles, so dependencies build exactly as for the course.
/// A path dependency (the tests' recorder, `timeline`) is made absolute: the generated
/// workspace lives elsewhere.
pub fn workspace_manifest(root_manifest: &str, members: &[String], root: &Path) -> String {
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let mut out = String::from(
        "# Generated by `cargo xtask verify`: the course's wrong answers, one package each.\n",
    );
    for line in root_manifest.lines() {
        if line.trim_start().starts_with("members") {
            out += &format!("members = [{}]\n", list.join(", "));
        } else if let Some((head, rest)) = line.split_once("path = \"")
            && let Some((path, tail)) = rest.split_once('"')
            && !path.starts_with('/')
        {
            let absolute = root.join(path).display().to_string();
            out += &format!("{head}path = {absolute:?}{tail}\n");
        } else {
            out += line;
            out.push('\n');
        }
    }
    out
}

/// The solution's manifest, renamed to `package`, with the fixture as its library and
/// its test targets' paths made absolute.
fn package_manifest(solution_manifest: &str, package: &str, kata: &Kata, src: &Path) -> String {
    let mut out = String::new();
    let mut section = String::new();
    for line in solution_manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_string();
            out += line;
            out.push('\n');
            if section == "[lib]" {
                out += &format!("path = {:?}\n", src.join("lib.rs").display().to_string());
            }
            continue;
        }
        let key = trimmed.split('=').next().unwrap_or("").trim();
        match (section.as_str(), key) {
            ("[package]", "name") => out += &format!("name = {package:?}\n"),
            ("[lib]", "path") => {}
            ("[[test]]", "path") => {
                let value = trimmed.split_once('=').map_or("", |(_, v)| v.trim());
                let path = kata.solution_dir.join(value.trim_matches('"'));
                out += &format!("path = {:?}\n", path.display().to_string());
            }
            _ => {
                out += line;
                out.push('\n');
            }
        }
    }
    out
}

/// One fixture's verdict: each test's outcome kind, in plan order.
pub type Verdict = Vec<(String, &'static str)>;

pub fn kind(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "passed",
        Outcome::Failed(_) => "failed",
        Outcome::TimedOut(_) => "timed out",
        Outcome::Crashed(_) => "crashed",
        Outcome::DoesNotCompile(_) => "does not compile",
        Outcome::Cancelled => "cancelled",
    }
}

/// What is wrong with a fixture's two runs, given the tests that must reject it.
pub fn judge(first: &Verdict, second: &Verdict, expected: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    if first != second {
        let differing: Vec<String> = first
            .iter()
            .zip(second)
            .filter(|(a, b)| a != b)
            .map(|((test, a), (_, b))| format!("{test}: {a}, then {b}"))
            .collect();
        problems.push(format!(
            "the two runs disagree (a verdict left to chance): {}",
            if differing.is_empty() {
                "different tests ran".to_string()
            } else {
                differing.join("; ")
            }
        ));
    }
    let failing: Vec<&str> = first
        .iter()
        .filter(|(_, kind)| *kind != "passed")
        .map(|(test, _)| test.as_str())
        .collect();
    if failing.is_empty() {
        problems.push("every test passes: no test rejects this wrong answer".to_string());
    }
    for test in expected {
        // `t03` names the test `t03_…`.
        let named = |name: &String| name == test || name.starts_with(&format!("{test}_"));
        match first.iter().find(|(name, _)| named(name)) {
            None => problems.push(format!(
                "{test} is named as rejecting it, but no such test ran"
            )),
            Some((_, "passed")) => problems.push(format!("{test} should reject it, but passes")),
            Some(_) => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_checked_list_from_a_test_header() {
        let header = "//! Wrong answers these tests reject:\n\
                      //! - `no_wake` (t03, t04): `Pending` without a wake\n\
                      //! - `not_send` (tests/kata_send.rs): an `Rc` across `.await`\n\
                      //! - mutant `replace < with <=`: not a fixture\n\
                      //! - `Bad Name` (t01): ignored\n\
                      use x;\n";
        let found = parse_header(header);
        assert_eq!(found.len(), 2);
        assert_eq!(found["no_wake"], ["t03", "t04"]);
        assert_eq!(found["not_send"], ["tests/kata_send.rs"]);
    }

    fn verdict(items: &[(&str, &'static str)]) -> Verdict {
        items.iter().map(|(t, k)| (t.to_string(), *k)).collect()
    }

    #[test]
    fn a_fixture_must_fail_the_named_tests_the_same_way_twice() {
        let rejected = verdict(&[("t01_ready", "passed"), ("t02_wakes", "failed")]);
        assert!(judge(&rejected, &rejected, &["t02".into()]).is_empty());
        assert!(judge(&rejected, &rejected, &["t02_wakes".into()]).is_empty());

        let problems = judge(&rejected, &rejected, &["t01".into()]);
        assert_eq!(problems, ["t01 should reject it, but passes"]);
        let problems = judge(&rejected, &rejected, &["t0".into()]);
        assert_eq!(
            problems,
            ["t0 is named as rejecting it, but no such test ran"]
        );

        let all_pass = verdict(&[("t01_ready", "passed"), ("t02_wakes", "passed")]);
        let problems = judge(&all_pass, &all_pass, &[]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("no test rejects"), "{problems:?}");

        let problems = judge(&rejected, &all_pass, &["t02".into()]);
        assert_eq!(
            problems,
            ["the two runs disagree (a verdict left to chance): t02_wakes: failed, then passed"]
        );
    }

    #[test]
    fn the_generated_package_uses_the_fixture_and_the_kata_tests() {
        let solution = "[package]\nname = \"countdown_solution\"\nversion = \"0.1.0\"\n\n\
                        [lib]\nname = \"countdown\"\ntest = false\n\n\
                        [[test]]\nname = \"kata\"\npath = \"../../../exercises/01/02/tests/kata.rs\"\n\n\
                        [dependencies]\ntokio.workspace = true\n";
        let kata = Kata {
            module: "01".into(),
            folder: "02".into(),
            name: "countdown".into(),
            number: 1,
            exercise_dir: PathBuf::from("/c/exercises/01/02"),
            solution_dir: PathBuf::from("/c/solutions/01/02"),
            timeout: None,
            points: 10,
            reference_tests: vec![],
            hang: None,
            allow: vec![],
        };
        let text = package_manifest(
            solution,
            "countdown__wrong__x",
            &kata,
            Path::new("/c/solutions/01/02/wrong/x"),
        );
        assert!(text.contains("name = \"countdown__wrong__x\""), "{text}");
        assert!(text.contains("name = \"countdown\"\n"), "{text}");
        assert!(
            text.contains("path = \"/c/solutions/01/02/wrong/x/lib.rs\""),
            "{text}"
        );
        assert!(
            text.contains("path = \"/c/solutions/01/02/../../../exercises/01/02/tests/kata.rs\""),
            "{text}"
        );
        assert!(text.contains("tokio.workspace = true"), "{text}");
        let root = "[workspace]\nmembers = [\"xtask\"]\n[workspace.dependencies]\n\
                    timeline = { package = \"awaitlings-timeline\", path = \"timeline\" }\n";
        let text = workspace_manifest(root, &["a".into()], Path::new("/c"));
        assert!(text.contains("members = [\"a\"]\n"), "{text}");
        assert!(
            text.contains(
                "timeline = { package = \"awaitlings-timeline\", path = \"/c/timeline\" }"
            ),
            "{text}"
        );
    }
}
