//! Wrong answers as checked fixtures. Beside each solution, `wrong/` holds
//! learner-style answers that compile but get something wrong: each a patch against the
//! solution's `src/` (`wrong/<name>.patch`: its `//! Wrong:` header, then the diff; see
//! `patch.rs`), or, where a rewrite is shorter than its patch, a whole `src/`
//! (`wrong/<name>/lib.rs`). The kata's test file lists each one (`//! - \`name\` (t03,
//! t04): the mistake`) with the tests that must reject it. `verify` builds every fixture
//! against the kata's own test files, in a generated workspace that shares the course's
//! target dir (no dependency is compiled twice), runs its tests twice, and checks that
//! the named tests fail both times and that both runs agree on every test.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::patch::{self, Sources};
use xtask::course::{Course, Kata};
use xtask::engine::compile::{self, Build};
use xtask::engine::harness::{Outcome, TIMELINE_MARKER};
use xtask::engine::health;
use xtask::util::error::{Context, Result};
use xtask::util::{files, ui};

/// The folder beside a solution that holds its wrong answers.
pub const FOLDER: &str = "wrong";

/// The extension of a wrong answer kept as a patch: `wrong/<name>.patch`.
pub const PATCH: &str = "patch";

/// Where verify writes out a patch's fixture to build it: `.wrong/<name>/` beside
/// `wrong/`, as deep as a whole fixture's folder (git ignores it). A fixture's code is
/// the course's own only under `solutions/` (`engine/lints.rs`), where a `#[path]` to
/// the kata's given modules is allowed.
pub const BUILT: &str = ".wrong";

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Form {
    /// `wrong/<name>.patch`: the mistake, then a diff against the solution's `src/`.
    Patch,
    /// `wrong/<name>/`: a whole `src/`, where a rewrite is shorter than its patch.
    Folder,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fixture {
    /// `no_wake`
    pub name: String,
    /// `wrong/<name>.patch`, or the folder standing in for `src/`.
    pub path: PathBuf,
    pub form: Form,
    /// The mistake, from the first line of its patch or its `lib.rs` (`//! Wrong: …`).
    pub mistake: Option<String>,
    /// What the timeline its failure draws must say (`//! Shows: …` lines in the
    /// header below the first): the mistake's shape, as a learner would see it.
    pub shows: Vec<String>,
}

impl Fixture {
    /// The package the generated workspace builds it as.
    pub fn package(&self, kata: &Kata) -> String {
        format!("{}__wrong__{}", kata.name, self.name)
    }

    /// Its `src/` as the solution's own `src/` would hold it (see [`deeper`]): the
    /// folder's files, or the solution's with the patch applied. An error says which
    /// hunk no longer applies (the solution changed under it).
    pub fn sources(&self, kata: &Kata) -> Result<Sources, String> {
        match self.form {
            Form::Folder => Ok(read_sources(&self.path)
                .into_iter()
                .map(|(path, text)| (path, shallower(&text)))
                .collect()),
            Form::Patch => {
                let text = fs::read_to_string(&self.path)
                    .map_err(|e| format!("cannot read {}: {e}", self.path.display()))?;
                patch::apply(&read_sources(&kata.solution_dir.join("src")), &text)
            }
        }
    }
}

/// The files of a `src/` folder, by path relative to it.
pub fn read_sources(dir: &Path) -> Sources {
    files::under(dir, false)
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(dir).ok()?;
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Some((relative, fs::read_to_string(&path).ok()?))
        })
        .collect()
}

/// `text` for a folder one deeper than the solution's `src/` (a fixture's, beside
/// `wrong/`): each relative `#[path = "…"]` gets one more `../`, so that it names the
/// same file.
pub fn deeper(text: &str) -> String {
    map_paths(text, |path| format!("../{path}"))
}

/// `text` from a fixture's folder as the solution's `src/` would hold it: the undoing of
/// [`deeper`].
pub fn shallower(text: &str) -> String {
    map_paths(text, |path| {
        path.strip_prefix("../").unwrap_or(path).to_string()
    })
}

/// The relative paths of `text`'s `#[path = "…"]` lines, with their line numbers
/// (from 1).
pub fn relative_paths(text: &str) -> Vec<(usize, &str)> {
    text.split_inclusive('\n')
        .enumerate()
        .filter_map(|(index, line)| Some((index + 1, relative_path(line)?.1)))
        .collect()
}

/// `text` with each relative path of a `#[path = "…"]` line mapped.
fn map_paths(text: &str, map: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        match relative_path(line) {
            Some((before, path, after)) => out += &format!("{before}\"{}\"{after}", map(path)),
            None => out += line,
        }
    }
    out
}

/// A `#[path = "…"]` line's relative path, and the text around it.
fn relative_path(line: &str) -> Option<(&str, &str, &str)> {
    if !line.trim_start().starts_with("#[path") {
        return None;
    }
    let (before, rest) = line.split_once('"')?;
    let (path, after) = rest.split_once('"')?;
    (!path.starts_with('/') && !path.contains(':')).then_some((before, path, after))
}

/// A kata's fixtures, sorted by name (a name kept in both forms is listed twice).
pub fn fixtures(kata: &Kata) -> Vec<Fixture> {
    let mut found: Vec<Fixture> = fs::read_dir(kata.solution_dir.join(FOLDER))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let file_name = entry.file_name().into_string().ok()?;
            let (name, form, header) = if is_dir {
                (file_name, Form::Folder, path.join("lib.rs"))
            } else {
                let name = file_name.strip_suffix(&format!(".{PATCH}"))?.to_string();
                (name, Form::Patch, path.clone())
            };
            let text = fs::read_to_string(header).unwrap_or_default();
            let (mistake, shows) = parse_fixture_header(&text);
            Some(Fixture {
                name,
                path,
                form,
                mistake,
                shows,
            })
        })
        .collect();
    found.sort_by(|a, b| (&a.name, a.form == Form::Folder).cmp(&(&b.name, b.form == Form::Folder)));
    found
}

/// A fixture's `//! Wrong: …` (its first line) and its `//! Shows: …` lines (anywhere
/// in the `//!` header that follows).
fn parse_fixture_header(text: &str) -> (Option<String>, Vec<String>) {
    let mut lines = text.lines();
    let mistake = lines
        .next()
        .and_then(|first| first.trim().strip_prefix("//! Wrong:"))
        .map(str::trim)
        .filter(|mistake| !mistake.is_empty())
        .map(str::to_string);
    let shows = lines
        .map_while(|line| line.trim_start().strip_prefix("//!"))
        .filter_map(|doc| doc.trim().strip_prefix("Shows:"))
        .map(str::trim)
        .filter(|shows| !shows.is_empty())
        .map(str::to_string)
        .collect();
    (mistake, shows)
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

/// Writes the generated workspace for `katas`' fixtures and builds it: a patch is
/// applied to its solution's sources there (one that no longer applies is left out:
/// verify names it, from [`Fixture::sources`]). Returns `None` when no kata has
/// fixtures.
pub fn build(course: &Course, katas: &[&Kata], colour: bool) -> Result<Option<Build>> {
    let dir = workspace_dir(course);
    let _ = fs::remove_dir_all(&dir);
    let mut members = Vec::new();
    for kata in katas {
        let built = kata.solution_dir.join(BUILT);
        let _ = fs::remove_dir_all(&built);
        let manifest = fs::read_to_string(kata.solution_dir.join("Cargo.toml"))
            .with_context(|| format!("cannot read {}'s solution manifest", kata.name))?;
        for fixture in fixtures(kata) {
            let package = fixture.package(kata);
            if members.contains(&package) {
                continue;
            }
            let src = match fixture.form {
                Form::Folder => fixture.path.clone(),
                Form::Patch => {
                    let Ok(sources) = fixture.sources(kata) else {
                        continue;
                    };
                    let src = built.join(&fixture.name);
                    for (relative, text) in &sources {
                        files::write(&src.join(relative), &deeper(text))?;
                    }
                    src
                }
            };
            let text = package_manifest(&manifest, &package, kata, &src);
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
        &health::workspace_manifest(&root_manifest, &members, &course.root),
    )?;
    // The course's lock file: the same versions, so the course's built dependencies fit.
    if let Ok(lock) = fs::read(course.root.join("Cargo.lock")) {
        fs::write(dir.join("Cargo.lock"), lock)
            .with_context(|| format!("cannot write {}", dir.display()))?;
    }
    compile::build_workspace_tests(&dir, &compile::target_dir(&course.root), colour).map(Some)
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
        match first.iter().find(|(name, _)| names(test, name)) {
            None => problems.push(format!(
                "{test} is named as rejecting it, but no such test ran"
            )),
            Some((_, "passed")) => problems.push(format!("{test} should reject it, but passes")),
            Some(_) => {}
        }
    }
    problems
}

/// Whether `test`, as a test header or `--list` names it, is the test called `name`:
/// `t03` names the test `t03_…`.
fn names(test: &str, name: &str) -> bool {
    name == test
        || name
            .strip_prefix(test)
            .is_some_and(|rest| rest.starts_with('_'))
}

/// Whether a test file draws timelines: its code (not its comments) uses the tests'
/// recorder, the `timeline` crate (its fault kit, `timeline::faults`, draws nothing).
pub fn draws_timelines(test_source: &str) -> bool {
    test_source.lines().any(|line| {
        !line.trim_start().starts_with("//")
            && line
                .match_indices("timeline::")
                .any(|(at, used)| !line[at + used.len()..].starts_with("faults"))
    })
}

/// Whether any of the kata's test files draws timelines.
pub fn kata_draws_timelines(kata: &Kata) -> bool {
    files::under(&kata.exercise_dir.join("tests"), false)
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .any(|path| draws_timelines(&fs::read_to_string(path).unwrap_or_default()))
}

/// The timelines drawn in a failure message: each block from a line that starts with
/// `TIMELINE_MARKER` to the next blank line.
fn timelines(message: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut inside = false;
    for line in message.lines().map(ui::plain) {
        if line.trim_start().starts_with(TIMELINE_MARKER) {
            inside = true;
            found.push(String::new());
        } else if line.trim().is_empty() {
            inside = false;
        }
        if inside && let Some(block) = found.last_mut() {
            *block += &line;
            block.push('\n');
        }
    }
    found
}

/// Runs of whitespace as one space: a drawn timeline wraps its words at the terminal's
/// width, which a `Shows:` line must not depend on; and the plain arrow the recorder
/// draws under `NO_COLOR` read as the other.
fn squeeze(text: &str) -> String {
    text.split_whitespace()
        .map(|word| if word == "->" { "→" } else { word })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `needle` is in `haystack` as whole words: `400 ms` is not in `1400 ms`.
fn has_words(haystack: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        // A word cut at either end of the needle is no match.
        let cut_before = word(needle.chars().next()) && word(before);
        let cut_after = word(needle.chars().next_back()) && word(after);
        !(cut_before || cut_after)
    })
}

/// What is wrong with a fixture's failures, given its `Shows:` texts and the tests
/// that must reject it: each text must be in a timeline drawn by one of those tests'
/// failures (`failures`: test, failure message).
pub fn judge_shows(
    shows: &[String],
    failures: &[(String, String)],
    expected: &[String],
) -> Vec<String> {
    let drawn: Vec<(&str, String)> = failures
        .iter()
        .filter(|(name, _)| expected.iter().any(|test| names(test, name)))
        .flat_map(|(name, message)| {
            timelines(message)
                .into_iter()
                .map(move |block| (name.as_str(), block))
        })
        .collect();
    let mut problems = Vec::new();
    for text in shows {
        if drawn.is_empty() {
            problems.push(format!(
                "`Shows: {text}`, but none of the tests that reject it ({}) drew a timeline \
                 (a block starting `{TIMELINE_MARKER}`) in its failure",
                expected.join(", ")
            ));
        } else if !drawn
            .iter()
            .any(|(_, block)| has_words(&squeeze(block), &squeeze(text)))
        {
            // What the drawings say instead: their summaries, from `→` on.
            let said: Vec<String> = drawn
                .iter()
                .map(|(name, block)| {
                    let summary = block.find('→').map_or(block.as_str(), |at| &block[at..]);
                    format!("{name}: {}", squeeze(summary))
                })
                .collect();
            problems.push(format!(
                "`Shows: {text}`, but no timeline its failure drew says so; they say:\n  {}",
                said.join("\n  ")
            ));
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

    #[test]
    fn reads_the_mistake_and_the_shapes_from_a_fixture_header() {
        let text = "//! Wrong: awaits one fetch, then the other.\n\
                    //!\n\
                    //! Shows: (sequential)\n\
                    //!   Shows:   fetch_user(2) started only after fetch_user(1) ended  \n\
                    use x;\n\
                    //! Shows: not in the header\n";
        let (mistake, shows) = parse_fixture_header(text);
        assert_eq!(
            mistake.as_deref(),
            Some("awaits one fetch, then the other.")
        );
        assert_eq!(
            shows,
            [
                "(sequential)",
                "fetch_user(2) started only after fetch_user(1) ended"
            ]
        );
        // `Shows:` is not the first line's business, nor is an empty one a shape.
        let (mistake, shows) = parse_fixture_header("//! Shows: x\n//! Shows:\n");
        assert_eq!((mistake, shows), (None, vec![]));
    }

    #[test]
    fn a_fixture_one_folder_deeper_names_the_same_given_modules() {
        let solution = "//! A.\n#[path = \"../../../../exercises/07/05/src/events.rs\"]\nmod events;\n\
                        #[path = \"/abs/x.rs\"]\nmod x;\nlet s = \"../y\";\n";
        let fixture = deeper(solution);
        assert_eq!(
            fixture,
            solution.replace("\"../../../../exercises", "\"../../../../../exercises")
        );
        assert_eq!(shallower(&fixture), solution);
        assert_eq!(
            relative_paths(solution),
            [(2, "../../../../exercises/07/05/src/events.rs")]
        );
    }

    #[test]
    fn a_test_file_draws_timelines_when_its_code_uses_the_recorder() {
        assert!(draws_timelines("use std::fmt;\nuse timeline::Timeline;\n"));
        assert!(draws_timelines("    let t = timeline::Timeline::new();\n"));
        assert!(!draws_timelines(
            "//! no timeline::Timeline here\nuse tokio::time;\n"
        ));
        assert!(
            !draws_timelines("use timeline::faults::io::Reader;\n"),
            "the fault kit draws nothing"
        );
        assert!(draws_timelines(
            "use timeline::faults::io::Reader;\nuse timeline::Timeline;\n"
        ));
    }

    /// A failure as the harness keeps it: the message, then the drawn timeline, which
    /// wraps its summary at the terminal's width.
    const FAILURE: &str = "panicked at tests/kata.rs:40:5:\n\
        they took 2s\n\
        \n\
        virtual time   0 ms      1000 ms   2000 ms\n\
        fetch_user(1)  ██████████\n\
        fetch_user(2)            ██████████\n\
        → 2000 ms in all: fetch_user(2) started only after\n\
        \x20 fetch_user(1) ended (sequential)\n\
        expected: concurrent would take 1000 ms\n\
        \n\
        sequential";

    #[test]
    fn a_shape_must_be_in_a_timeline_a_rejecting_test_drew() {
        let failures = vec![
            ("t01_sequential".to_string(), FAILURE.to_string()),
            ("t02_order".to_string(), "left != right".to_string()),
        ];
        let shows =
            |texts: &[&str]| -> Vec<String> { texts.iter().map(|t| t.to_string()).collect() };
        let t01 = ["t01".to_string()];
        // Found across the wrapped line, and wherever in the block.
        let found = shows(&[
            "fetch_user(2) started only after fetch_user(1) ended",
            "(sequential)",
        ]);
        assert!(judge_shows(&found, &failures, &t01).is_empty());
        assert!(judge_shows(&shows(&["expected: concurrent"]), &failures, &t01).is_empty());
        assert!(judge_shows(&[], &failures, &t01).is_empty());
        // Whole words only: `000 ms` is no part of `2000 ms`.
        assert_eq!(
            judge_shows(&shows(&["000 ms in all"]), &failures, &t01).len(),
            1
        );
        // Drawn in plain characters (NO_COLOR), the arrow still reads as one.
        let plain = vec![("t01_sequential".to_string(), FAILURE.replace('→', "->"))];
        assert!(judge_shows(&shows(&["→ 2000 ms in all"]), &plain, &t01).is_empty());

        // Said in the message but not drawn: the text after the block is no picture.
        let problems = judge_shows(&shows(&["concurrent would take 500 ms"]), &failures, &t01);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("`Shows: concurrent would take 500 ms`, but no timeline"),
            "{problems:?}"
        );
        assert!(
            problems[0].contains("t01_sequential: → 2000 ms in all: fetch_user(2) started"),
            "{problems:?}"
        );

        // Only the tests named for the fixture count, and they must draw.
        let t02 = ["t02".to_string()];
        let problems = judge_shows(&shows(&["(sequential)"]), &failures, &t02);
        assert_eq!(
            problems,
            [
                "`Shows: (sequential)`, but none of the tests that reject it (t02) drew a \
              timeline (a block starting `virtual time`) in its failure"
            ]
        );
        // `t0` is no test's name: it does not name `t01_sequential`.
        assert_eq!(
            judge_shows(&shows(&["(sequential)"]), &failures, &["t0".into()]).len(),
            1
        );
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
        let text = health::workspace_manifest(root, &["a".into()], Path::new("/c"));
        assert!(text.contains("members = [\"a\"]\n"), "{text}");
        assert!(
            text.contains(
                "timeline = { package = \"awaitlings-timeline\", path = \"/c/timeline\" }"
            ),
            "{text}"
        );
    }
}
