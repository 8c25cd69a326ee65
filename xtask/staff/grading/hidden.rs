//! Hidden tests: tests an instructor keeps out of every template, run by `regrade` only,
//! with points of their own. They live in a folder beside the course (never in it, so
//! nothing ships them by mistake): `DIR/MODULE/KATA/NAME.rs`, each file a test target
//! whose first line says what it is worth, `//! points: 5`. At regrade each is copied
//! into the pristine kata as `tests/hidden_NAME.rs` and graded as a part of its own.

use std::fs;
use std::path::Path;

use xtask::course::manifest::GradedKata;
use xtask::course::{Course, Kata, test_names};
use xtask::util::error::{Context, Error, Result};

/// One kata's hidden tests.
#[derive(Debug, Clone, PartialEq)]
pub struct Hidden {
    /// `00_welcome/01_hello`
    pub kata: String,
    /// (file name in the kata's `tests/`, text)
    pub files: Vec<(String, String)>,
    pub points: u32,
    /// (target, test name), as the manifest lists a kata's graded tests.
    pub tests: Vec<(String, String)>,
}

impl Hidden {
    /// The part as grading sees it: its own id, so it is reported apart.
    pub fn graded(&self) -> GradedKata {
        GradedKata {
            id: self.kata.clone(),
            points: self.points,
            tests: self.tests.clone(),
        }
    }

    /// Writes the tests into the kata at `kata_dir` (a pristine copy).
    pub fn install(&self, kata_dir: &Path) -> Result<()> {
        for (name, text) in &self.files {
            xtask::util::files::write(&kata_dir.join("tests").join(name), text)?;
        }
        Ok(())
    }
}

/// The hidden tests in `dir` for the course's katas. A folder for a kata the course
/// does not have, a file without its points line or without tests, is an error: an
/// instructor's typo must not silently grade nothing.
pub fn load(dir: &Path, course: &Course) -> Result<Vec<Hidden>> {
    if !dir.is_dir() {
        return Err(Error::new(format!(
            "the hidden tests folder {} does not exist",
            dir.display()
        )));
    }
    let mut found = Vec::new();
    for module in sorted_dirs(dir)? {
        for folder in sorted_dirs(&dir.join(&module))? {
            let id = format!("{module}/{folder}");
            let kata = course.katas.iter().find(|k| k.id() == id).ok_or_else(|| {
                format!(
                    "{}: the course has no kata {id} (hidden tests sit in DIR/MODULE/KATA/)",
                    dir.display()
                )
            })?;
            found.push(kata_tests(&dir.join(&module).join(&folder), kata)?);
        }
    }
    Ok(found)
}

fn kata_tests(dir: &Path, kata: &Kata) -> Result<Hidden> {
    let mut hidden = Hidden {
        kata: kata.id(),
        files: Vec::new(),
        points: 0,
        tests: Vec::new(),
    };
    for path in xtask::util::files::under(dir, false) {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let points = text
            .lines()
            .next()
            .and_then(|line| line.trim().strip_prefix("//! points:"))
            .and_then(|p| p.trim().parse::<u32>().ok())
            .ok_or_else(|| {
                format!(
                    "{}: the first line must say what its tests are worth: `//! points: 5`",
                    path.display()
                )
            })?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = format!("hidden_{stem}");
        let names = test_names(&text);
        if names.is_empty() {
            return Err(Error::new(format!("{}: no #[test] in it", path.display())));
        }
        hidden
            .tests
            .extend(names.into_iter().map(|name| (target.clone(), name)));
        hidden.points += points;
        hidden.files.push((format!("{target}.rs"), text));
    }
    if hidden.files.is_empty() {
        return Err(Error::new(format!(
            "{}: no hidden test files (NAME.rs)",
            dir.display()
        )));
    }
    Ok(hidden)
}

/// The folders in `dir`, sorted; an error when `dir` cannot be read.
fn sorted_dirs(dir: &Path) -> Result<Vec<String>> {
    fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    Ok(xtask::util::files::subfolders(dir, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn course(root: &Path) -> Course {
        Course {
            root: root.to_path_buf(),
            katas: vec![Kata {
                module: "00_welcome".into(),
                folder: "01_hello".into(),
                name: "hello".into(),
                number: 1,
                exercise_dir: root.join("exercises/00_welcome/01_hello"),
                solution_dir: root.join("solutions/00_welcome/01_hello"),
                timeout: None,
                points: 5,
                reference_tests: vec![],
                hang: None,
                allow: vec![],
            }],
            target_dir: None,
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("awaitlings-hidden-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn reads_each_katas_hidden_tests_and_points() {
        let dir = scratch("ok");
        let kata = dir.join("00_welcome/01_hello");
        fs::create_dir_all(&kata).unwrap();
        fs::write(
            kata.join("edge.rs"),
            "//! points: 3\n#[tokio::test]\nasync fn h01_empty() {}\n#[test]\nfn h02_unicode() {}\n",
        )
        .unwrap();
        let found = load(&dir, &course(Path::new("/c"))).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].points, 3);
        assert_eq!(
            found[0].tests,
            [
                ("hidden_edge".to_string(), "h01_empty".to_string()),
                ("hidden_edge".to_string(), "h02_unicode".to_string())
            ]
        );
        assert_eq!(found[0].files[0].0, "hidden_edge.rs");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_typo_is_an_error_not_nothing() {
        let dir = scratch("typo");
        fs::create_dir_all(dir.join("00_welcome/01_helo")).unwrap();
        let error = load(&dir, &course(Path::new("/c")))
            .unwrap_err()
            .to_string();
        assert!(error.contains("no kata 00_welcome/01_helo"), "{error}");
        fs::remove_dir_all(dir.join("00_welcome/01_helo")).unwrap();
        fs::create_dir_all(dir.join("00_welcome/01_hello")).unwrap();
        fs::write(dir.join("00_welcome/01_hello/x.rs"), "#[test]\nfn h() {}\n").unwrap();
        let error = load(&dir, &course(Path::new("/c")))
            .unwrap_err()
            .to_string();
        assert!(error.contains("//! points: 5"), "{error}");
        let _ = fs::remove_dir_all(&dir);
    }
}
