//! The course as the file system lays it out: `exercises/NN_module/NN_kata/`, in folder
//! order, each with a twin under `solutions/`. Nothing is registered anywhere else.

pub mod hint;
pub mod locate;
pub mod manifest;
pub mod mistakes;
pub mod progress;
pub mod refused;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::util::error::{Context, Error, Result};

/// What `cargo xtask new` writes wherever the kata's author must still write, and what
/// `verify` lists as the author's remaining work.
pub const AUTHOR_MARKER: &str = "TODO(author)";

#[derive(Debug, Clone)]
pub struct Kata {
    /// `01_how_async_works`
    pub module: String,
    /// `02_countdown`
    pub folder: String,
    /// `countdown`: the package name, unique in the course.
    pub name: String,
    /// 1-based position in the course.
    pub number: usize,
    pub exercise_dir: PathBuf,
    pub solution_dir: PathBuf,
    /// Per-test time limit from the kata's metadata, in seconds.
    pub timeout: Option<u64>,
    /// What the kata is worth when graded (`points` in its metadata; 0 if undeclared,
    /// which `verify` reports).
    pub points: u32,
    /// Tests that pass on the stub by design (compile-fail snapshots of fixed code).
    pub reference_tests: Vec<String>,
    /// What a hang usually means in this kata (`hang` in its metadata), said in place
    /// of the runner's generic list when a test times out.
    pub hang: Option<String>,
    /// Constructs grading's scan allows in this kata's code (`allow` in its metadata).
    pub allow: Vec<String>,
}

impl Kata {
    /// `01_how_async_works/02_countdown`
    pub fn id(&self) -> String {
        format!("{}/{}", self.module, self.folder)
    }

    pub fn solution_package(&self) -> String {
        format!("{}_solution", self.name)
    }

    pub fn lesson(&self) -> PathBuf {
        self.exercise_dir.join("README.md")
    }

    /// The hints, apart from the lesson so that reading it never shows them.
    pub fn hints(&self) -> PathBuf {
        self.exercise_dir.join("hints.md")
    }

    pub fn is_reference(&self, test: &str) -> bool {
        self.reference_tests.iter().any(|name| name == test)
    }

    /// The kata's test files (`tests/*.rs`), in file-name order.
    pub fn test_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = fs::read_dir(self.exercise_dir.join("tests"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        files
    }

    /// How many tests a test file holds, read from its source (`#[test]` and
    /// `#[tokio::test]` functions): what a file that does not compile stands for.
    pub fn tests_in(&self, file: &Path, with_references: bool) -> usize {
        let text = fs::read_to_string(file).unwrap_or_default();
        count_tests(&text, |name| with_references || !self.is_reference(name))
    }
}

pub struct Course {
    pub root: PathBuf,
    pub katas: Vec<Kata>,
    /// Where its builds go, when not where cargo would put them: `regrade` gives each
    /// pristine copy a target dir of its own, whatever `CARGO_TARGET_DIR` says (two
    /// workspaces of one layout must never share one).
    pub target_dir: Option<PathBuf>,
}

/// The katas without the copies: of two folders with one package name (which cargo
/// refuses, and `engine::health` names), the kata is the one the grading manifest
/// lists, wherever the copy sorts; the first when it lists neither.
fn without_copies(root: &Path, katas: Vec<Kata>) -> Vec<Kata> {
    let names: std::collections::BTreeSet<&str> = katas.iter().map(|k| k.name.as_str()).collect();
    if names.len() == katas.len() {
        // No copy: no need to read the manifest, on every command.
        return katas;
    }
    let shipped = manifest::Manifest::load(root).ok();
    let listed = |kata: &Kata| {
        shipped
            .as_ref()
            .is_some_and(|m| m.kata(&kata.id()).is_some())
    };
    let keep: Vec<bool> = katas
        .iter()
        .enumerate()
        .map(|(index, kata)| {
            let twins: Vec<(usize, &Kata)> = katas
                .iter()
                .enumerate()
                .filter(|(_, other)| other.name == kata.name)
                .collect();
            let chosen = twins
                .iter()
                .find(|(_, twin)| listed(twin))
                .or(twins.first())
                .map(|(at, _)| *at);
            chosen == Some(index)
        })
        .collect();
    katas
        .into_iter()
        .zip(keep)
        .filter_map(|(kata, kept)| kept.then_some(kata))
        .collect()
}

impl Course {
    pub fn load(root: &Path) -> Result<Course> {
        let exercises = root.join("exercises");
        let mut katas = Vec::new();
        for module in sorted_dirs(&exercises)? {
            for folder in sorted_dirs(&exercises.join(&module))? {
                let exercise_dir = exercises.join(&module).join(&folder);
                let manifest = exercise_dir.join("Cargo.toml");
                let Ok(text) = fs::read_to_string(&manifest) else {
                    continue; // a folder without a manifest is not a kata (yet)
                };
                let meta = Metadata::parse(&text);
                // A manifest without a name is broken (cargo says so, and verify names
                // it); the folder's name stands in, so the rest of the course still loads.
                let name = meta.name.clone().unwrap_or_else(|| {
                    let (number, rest) = folder.split_once('_').unwrap_or(("", &folder));
                    if number.chars().all(|c| c.is_ascii_digit()) {
                        rest.to_string()
                    } else {
                        folder.clone()
                    }
                });
                katas.push(Kata {
                    solution_dir: root.join("solutions").join(&module).join(&folder),
                    module: module.clone(),
                    folder,
                    name,
                    number: katas.len() + 1,
                    exercise_dir,
                    timeout: meta.timeout,
                    points: meta.points.unwrap_or(0),
                    reference_tests: meta.reference_tests,
                    hang: meta.hang,
                    allow: meta.allow,
                });
            }
        }
        let mut katas = without_copies(root, katas);
        for (index, kata) in katas.iter_mut().enumerate() {
            kata.number = index + 1;
        }
        if katas.is_empty() {
            return Err(Error::new(format!(
                "no katas found under {}",
                exercises.display()
            )));
        }
        Ok(Course {
            root: root.to_path_buf(),
            katas,
            target_dir: None,
        })
    }

    /// Finds a kata by package name (`countdown`), folder (`02_countdown`), id
    /// (`01_how_async_works/02_countdown`), numbers (`1/2`, `01/02`) or path.
    pub fn find(&self, query: &str) -> Result<&Kata, UnknownKata> {
        let query = query.trim().trim_end_matches('/');
        let as_path = Path::new(query);
        let found = self
            .katas
            .iter()
            .find(|kata| {
                kata.name == query
                    || kata.folder == query
                    || kata.id() == query
                    || numbers_match(kata, query)
                    || as_path.ends_with(Path::new(&kata.module).join(&kata.folder))
            })
            // `kata 4 of 31`: its place in the course.
            .or_else(|| {
                let number = query.parse::<usize>().ok()?;
                self.katas.iter().find(|kata| kata.number == number)
            })
            // A path from where the learner stands: `.`, `..`, `src/lib.rs`.
            .or_else(|| {
                let dir = std::env::current_dir()
                    .ok()?
                    .join(as_path)
                    .canonicalize()
                    .ok()?;
                self.containing(&dir)
            });
        found.ok_or_else(|| UnknownKata {
            query: query.to_string(),
            suggestions: self.closest(query),
        })
    }

    /// `path` as the learner finds it from the top of the repository.
    pub fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// The kata whose folder holds `dir`, if any (so `check` inside a kata checks it).
    pub fn containing(&self, dir: &Path) -> Option<&Kata> {
        self.katas
            .iter()
            .find(|kata| dir.starts_with(&kata.exercise_dir) || dir.starts_with(&kata.solution_dir))
    }

    fn closest(&self, query: &str) -> Vec<String> {
        let query = query.to_lowercase();
        let mut scored: Vec<(usize, &Kata)> = self
            .katas
            .iter()
            .map(|kata| {
                let distance = edit_distance(&query, &kata.name)
                    .min(edit_distance(&query, &kata.folder))
                    .min(if kata.name.contains(&query) && query.len() >= 3 {
                        1
                    } else {
                        usize::MAX
                    });
                (distance, kata)
            })
            .filter(|(distance, kata)| *distance <= kata.name.len().max(4) / 2)
            .collect();
        scored.sort_by_key(|(distance, kata)| (*distance, kata.number));
        scored
            .iter()
            .take(3)
            .map(|(_, kata)| format!("{} ({})", kata.name, kata.id()))
            .collect()
    }
}

#[derive(Debug)]
pub struct UnknownKata {
    pub query: String,
    pub suggestions: Vec<String>,
}

/// An unknown kata is a problem with the course as the learner named it.
impl From<UnknownKata> for Error {
    fn from(unknown: UnknownKata) -> Error {
        Error::new(unknown.to_string())
    }
}

impl fmt::Display for UnknownKata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "there is no kata named `{}`.", self.query)?;
        match self.suggestions.as_slice() {
            [] => write!(f, " `cargo xtask list` shows them all."),
            names => write!(f, " Did you mean: {}?", names.join(", ")),
        }
    }
}

fn numbers_match(kata: &Kata, query: &str) -> bool {
    let Some((module, folder)) = query.split_once('/') else {
        return false;
    };
    let number = |name: &str| name.split('_').next().and_then(|n| n.parse::<u32>().ok());
    let (Ok(m), Ok(k)) = (module.parse::<u32>(), folder.parse::<u32>()) else {
        return false;
    };
    number(&kata.module) == Some(m) && number(&kata.folder) == Some(k)
}

/// The folders in `dir`, sorted; an error when `dir` cannot be read.
fn sorted_dirs(dir: &Path) -> Result<Vec<String>> {
    fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    Ok(crate::util::files::subfolders(dir, false))
}

/// What the runner reads from a kata's `Cargo.toml`: a few plain keys, found line by
/// line, so the runner needs no TOML parser.
#[derive(Debug, Default, PartialEq)]
struct Metadata {
    name: Option<String>,
    timeout: Option<u64>,
    points: Option<u32>,
    reference_tests: Vec<String>,
    hang: Option<String>,
    allow: Vec<String>,
}

impl Metadata {
    fn parse(manifest: &str) -> Metadata {
        let mut meta = Metadata::default();
        let mut section = "";
        for line in manifest.lines().map(str::trim) {
            if line.starts_with('[') {
                section = line;
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let (key, value) = (key.trim(), without_comment(value));
            match (section, key) {
                ("[package]", "name") => meta.name = Some(unquote(value).to_string()),
                ("[package.metadata.awaitlings]", "hang") => {
                    meta.hang = Some(unquote(value).to_string()).filter(|h| !h.is_empty());
                }
                ("[package.metadata.awaitlings]", "timeout") => meta.timeout = value.parse().ok(),
                ("[package.metadata.awaitlings]", "points") => meta.points = value.parse().ok(),
                ("[package.metadata.awaitlings]", "reference-tests") => {
                    meta.reference_tests = list(value);
                }
                ("[package.metadata.awaitlings]", "allow") => meta.allow = list(value),
                _ => {}
            }
        }
        meta
    }
}

/// `["a", "b"]` on one line.
fn list(value: &str) -> Vec<String> {
    value
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|item| unquote(item.trim()).to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

/// A value without a trailing `# comment` (a `#` inside a quoted string stays).
fn without_comment(value: &str) -> &str {
    let value = value.trim();
    let mut quoted = false;
    for (index, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return value[..index].trim_end(),
            _ => {}
        }
    }
    value
}

fn unquote(value: &str) -> &str {
    value.trim_matches('"')
}

/// The test functions in a test file's source that `counted` accepts by name.
fn count_tests(source: &str, counted: impl Fn(&str) -> bool) -> usize {
    test_names(source)
        .iter()
        .filter(|name| counted(name))
        .count()
}

/// The names of the `#[test]` and `#[tokio::test]` functions in a test file's source.
pub fn test_names(source: &str) -> Vec<String> {
    let mut attribute = false;
    let mut names = Vec::new();
    for line in source.lines().map(str::trim_start) {
        if line.starts_with("#[test]") || line.starts_with("#[tokio::test") {
            attribute = true;
        } else if attribute && let Some(at) = line.find("fn ") {
            names.push(
                line[at + 3..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
            attribute = false;
        }
    }
    names
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The kata named, else the kata whose folder we are in, else where the learner is.
pub fn pick<'a>(
    course: &'a Course,
    query: Option<&str>,
    progress: &progress::Progress,
) -> Result<&'a Kata> {
    if let Some(query) = query {
        return course.find(query).map_err(Error::from);
    }
    let here = std::env::current_dir().ok();
    if let Some(kata) = here.as_deref().and_then(|dir| course.containing(dir)) {
        return Ok(kata);
    }
    Ok(progress::first_unfinished(course, progress)
        .unwrap_or_else(|| course.katas.last().expect("a course has katas")))
}

/// `next KATA`, `watch KATA`: the learner chooses what to work on. The runner goes
/// from there; the katas before it come back after the last.
pub fn choose(course: &Course, query: &str) -> Result<()> {
    let kata = course.find(query).map_err(Error::from)?;
    let mut progress = progress::Progress::load(&course.root);
    progress.set_current(Some(kata));
    progress.save(&course.root);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        let kata = |module: &str, folder: &str, name: &str, number| Kata {
            module: module.into(),
            folder: folder.into(),
            name: name.into(),
            number,
            exercise_dir: PathBuf::from("/c/exercises").join(module).join(folder),
            solution_dir: PathBuf::from("/c/solutions").join(module).join(folder),
            timeout: None,
            points: 10,
            reference_tests: vec![],
            hang: None,
            allow: vec![],
        };
        Course {
            root: PathBuf::from("/c"),
            katas: vec![
                kata("00_welcome", "01_hello", "hello", 1),
                kata("01_how_async_works", "02_countdown", "countdown", 2),
            ],
            target_dir: None,
        }
    }

    #[test]
    fn finds_a_kata_by_any_of_its_names() {
        let course = course();
        for query in [
            "countdown",
            "02_countdown",
            "01_how_async_works/02_countdown",
            "1/2",
            "01/02",
            "exercises/01_how_async_works/02_countdown/",
            "/c/solutions/01_how_async_works/02_countdown",
            "2",
        ] {
            assert_eq!(
                course.find(query).map(|k| k.number).ok(),
                Some(2),
                "{query}"
            );
        }
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let error = course().find("cowntdown").unwrap_err();
        assert_eq!(
            error.suggestions,
            ["countdown (01_how_async_works/02_countdown)"]
        );
        let error = course().find("zzzzzzzz").unwrap_err();
        assert!(error.to_string().contains("cargo xtask list"), "{error}");
    }

    #[test]
    fn knows_which_kata_a_directory_is_in() {
        let course = course();
        let dir = Path::new("/c/exercises/00_welcome/01_hello/src");
        assert_eq!(course.containing(dir).map(|k| k.number), Some(1));
        assert!(course.containing(Path::new("/c/xtask")).is_none());
    }

    #[test]
    fn counts_the_tests_a_file_holds() {
        let source = "use x;\n\n#[test]\nfn t01_a() {}\n\n#[tokio::test(start_paused = true)]\n\
                      async fn t02_b() {}\n\n#[test]\n#[should_panic]\nfn t03_ref() {}\n\n\
                      fn helper() {}\n";
        assert_eq!(count_tests(source, |_| true), 3);
        assert_eq!(count_tests(source, |name| name != "t03_ref"), 2);
    }

    #[test]
    fn reads_the_manifest_keys_it_needs() {
        let manifest = r#"
[package]
name = "send_pitfalls"
edition.workspace = true

[package.metadata.awaitlings]
timeout = 300 # trybuild compiles tokio, cold
points = 15
reference-tests = ["t09_reference", "t10_other"] # two of them
hang = "a waker that never unparks the thread # is not a comment"
allow = ["fs"]

[dependencies]
name = "not-this-one"
"#;
        assert_eq!(
            Metadata::parse(manifest),
            Metadata {
                name: Some("send_pitfalls".into()),
                timeout: Some(300),
                points: Some(15),
                reference_tests: vec!["t09_reference".into(), "t10_other".into()],
                hang: Some("a waker that never unparks the thread # is not a comment".into()),
                allow: vec!["fs".into()],
            }
        );
    }
}
