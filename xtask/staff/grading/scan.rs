//! What grading refuses in a learner's code, and where it is. The rules themselves
//! (`course::refused`) are enforced by the compiler while the kata's library builds
//! (`engine::lints`): a refusal is a compile error, which this module reads back as a
//! finding. Before the build, only what is not code: a kata's `src/` must be its own
//! regular files (no link to a classmate's) and its library alone (`src/main.rs` and
//! `src/bin/` are other crate targets, whose test binaries could stand in for the
//! kata's). A kata with a finding earns nothing, and the finding is named (file, line,
//! construct) for the instructor to look at.

use std::fs;
use std::path::Path;

use xtask::course::Kata;
use xtask::course::refused;
use xtask::engine::compile::Build;
use xtask::util::files;

/// Where the scan found something.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Repo-relative file, e.g. `exercises/00_welcome/01_hello/src/lib.rs`.
    pub file: String,
    pub line: usize,
    /// `process`, `#[used]`, `src/main.rs`
    pub construct: String,
    pub why: &'static str,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: `{}` ({})",
            self.file, self.line, self.construct, self.why
        )
    }
}

/// Every finding in `kata`'s `src/` as it is in the course at `root`.
pub fn kata(root: &Path, kata: &Kata) -> Vec<Finding> {
    let src = kata.exercise_dir.join("src");
    let mut findings = Vec::new();
    // A link on the way to src/ (src/ itself pointing into a classmate's folder).
    let mut path = root.to_path_buf();
    for part in Path::new(&files::relative(&src, root)).components() {
        path.push(part);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            findings.push(Finding {
                file: files::relative(&path, root),
                line: 0,
                construct: "a symbolic link".into(),
                why: "the kata's code must be its own files, not a link to others'",
            });
            return findings;
        }
    }
    // Other crate targets: cargo builds `src/main.rs` and `src/bin/*` too, and a test
    // binary built from them could stand in for the kata's tests.
    for target in ["main.rs", "bin"] {
        if fs::symlink_metadata(src.join(target)).is_ok() {
            findings.push(Finding {
                file: files::relative(&src.join(target), root),
                line: 0,
                construct: format!("src/{target}"),
                why: "a second crate target: a kata's src/ holds its library only",
            });
        }
    }
    // Every entry, hidden ones and folders named `target` too: the compiler reads them.
    for path in files::every_entry(&src) {
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            findings.push(Finding {
                file: files::relative(&path, root),
                line: 0,
                construct: "a symbolic link".into(),
                why: "src/ holds regular files only",
            });
        } else if let Some(name) = odd_name(path.strip_prefix(&src).unwrap_or(&path)) {
            findings.push(Finding {
                // Escaped: the name itself would break a line of the table or the book.
                file: files::relative(&path, root).escape_debug().to_string(),
                line: 0,
                construct: format!("the name {name:?}"),
                why: "a name with a control character, `:` or `\\`: no module file needs one, \
                      and the compiler's list of the files it read cannot hold it plainly",
            });
        }
    }
    findings
}

/// The name under `src/`, when it holds what no Rust module's file name needs and what
/// rustc's dep-info cannot write plainly (a newline there would hide the next files from
/// the check that every compiled file is the kata's own).
pub fn odd_name(relative: &Path) -> Option<String> {
    let name = relative.to_string_lossy();
    name.chars()
        .any(|c| c.is_control() || c == ':' || c == '\\')
        .then(|| name.into_owned())
}

/// What the compiler refused in `kata`'s library, from the build of the course at
/// `root`: grading's own errors (`course::refused::refusal`), each a finding.
pub fn refusals(root: &Path, kata: &Kata, build: &Build) -> Vec<Finding> {
    let src = files::relative(&kata.exercise_dir.join("src"), root);
    build
        .failures_of(&kata.exercise_dir)
        .filter(|failure| failure.in_library)
        .flat_map(|failure| &failure.diagnostics)
        .filter_map(|diagnostic| {
            let (construct, why) =
                refused::refusal(diagnostic.code.as_deref()?, &diagnostic.message)?;
            Some(Finding {
                file: diagnostic.file.clone().unwrap_or_else(|| src.clone()),
                line: diagnostic.line,
                construct,
                why,
            })
        })
        .collect()
}
