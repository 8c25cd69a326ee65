//! A wrong answer kept as a patch against its solution (`wrong/<name>.patch`): the
//! mistake first, then only what the learner changed.
//!
//! ```text
//! //! Wrong: `Pending` without waking the task: nothing promises another poll.
//! --- a/lib.rs
//! +++ b/lib.rs
//! @@ -31,7 +30,6 @@
//!          self.remaining -= 1;
//! …
//! -        cx.waker().wake_by_ref();
//! ```
//!
//! What comes before the first `--- ` line is the fixture's module doc, its `//! Wrong:`
//! and `//! Shows:` lines: it stands in for the solution's own (the leading `//!` lines of
//! its `lib.rs` and the blank lines after them). The rest is a unified diff of the
//! solution's `src/` files, paths relative to `src/`, with `a/` and `b/` (`/dev/null` for
//! a file added or removed); its line numbers are the whole files', module docs
//! included, so a hunk's `@@ -31` is line 31 of the solution's `lib.rs`. A fixture is
//! the solution with the patch applied ([`apply`]): a hunk whose lines the solution no
//! longer has is refused, by its number and its `@@` line.

use std::collections::BTreeMap;

use diffy::{DiffOptions, Patch};

/// A `src/` folder's files: path relative to `src/` (`/` between folders) → text.
pub type Sources = BTreeMap<String, String>;

/// The crate root, the file whose module doc is the fixture's header.
pub const LIB: &str = "lib.rs";

/// `text`'s module doc (its leading `//!` lines, and the blank lines after them) and
/// the rest.
pub fn split_header(text: &str) -> (&str, &str) {
    let mut at = 0;
    let mut doc = true;
    for line in text.split_inclusive('\n') {
        doc = doc && line.starts_with("//!");
        if !doc && !line.trim().is_empty() {
            break;
        }
        at += line.len();
    }
    text.split_at(at)
}

/// The patch that turns `solution` into `edited`, with `edited`'s `lib.rs` module doc
/// as its header.
pub fn create(solution: &Sources, edited: &Sources) -> String {
    let header = edited.get(LIB).map_or("", |text| split_header(text).0);
    let mut out = header.to_string();
    // `lib.rs` first: the header reads on into its diff.
    let mut paths: Vec<&String> = solution.keys().chain(edited.keys()).collect();
    paths.sort_by_key(|path| (path.as_str() != LIB, path.as_str()));
    paths.dedup();
    for path in paths {
        let (old, new) = (solution.get(path), edited.get(path));
        let (old_skip, old_body) = body(path, old.map(String::as_str));
        let (new_skip, new_body) = body(path, new.map(String::as_str));
        if old.is_some() == new.is_some() && old_body == new_body {
            continue;
        }
        let mut options = DiffOptions::new();
        options.set_original_filename(match old {
            Some(_) => format!("a/{path}"),
            None => "/dev/null".to_string(),
        });
        options.set_modified_filename(match new {
            Some(_) => format!("b/{path}"),
            None => "/dev/null".to_string(),
        });
        let diff = options.create_patch(old_body, new_body).to_string();
        for line in diff.split_inclusive('\n') {
            match shift_hunk_header(line, old_skip as isize, new_skip as isize) {
                Some(shifted) => out += &shifted,
                None => out += line,
            }
        }
    }
    out
}

/// `solution` with `patch` applied: the fixture's `src/`. An error names the file and
/// the hunk that no longer applies, or what cannot be read.
pub fn apply(solution: &Sources, patch: &str) -> Result<Sources, String> {
    let (header, sections) = sections(patch)?;
    let mut out = solution.clone();
    let lib = solution
        .get(LIB)
        .ok_or_else(|| format!("the solution has no src/{LIB} to patch"))?;
    let header_lines = header.lines().count() as isize;
    let mut patched_lib = false;
    for section in &sections {
        let path = section.path();
        let old = match &section.old {
            None => None,
            Some(path) => Some(solution.get(path).ok_or_else(|| {
                format!("it patches src/{path}, which the solution does not have")
            })?),
        };
        let (old_skip, old_body) = body(path, old.map(String::as_str));
        let new_skip = if path == LIB { header_lines } else { 0 };
        // The hunks' line numbers back to the bodies' (module docs aside).
        let mut text = String::new();
        for line in section.text.split_inclusive('\n') {
            match shift_hunk_header(line, -(old_skip as isize), -new_skip) {
                Some(shifted) => text += &shifted,
                None => text += line,
            }
        }
        let parsed = Patch::from_str(&text)
            .map_err(|error| format!("src/{path}'s diff cannot be read: {error}"))?;
        let applied = diffy::apply(old_body, &parsed).map_err(|error| {
            // diffy says `error applying hunk #N`.
            let number: usize = error
                .to_string()
                .rsplit('#')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let hunk = section
                .hunks()
                .nth(number.wrapping_sub(1))
                .map(|(line, at)| format!(" (`{}`, line {} of the patch)", line.trim_end(), at))
                .unwrap_or_default();
            format!(
                "hunk {number} of src/{path}{hunk} does not apply: the solution's src/{path} \
                 no longer has the lines it changes or the lines around them"
            )
        })?;
        match &section.new {
            None => {
                out.remove(path);
            }
            Some(new_path) if new_path == LIB => {
                patched_lib = true;
                out.insert(LIB.to_string(), format!("{header}{applied}"));
            }
            Some(new_path) => {
                if let Some(old) = &section.old
                    && old != new_path
                {
                    out.remove(old);
                }
                out.insert(new_path.clone(), applied);
            }
        }
    }
    if !patched_lib {
        // The header stands in for the solution's module doc all the same.
        out.insert(LIB.to_string(), format!("{header}{}", split_header(lib).1));
    }
    Ok(out)
}

/// The lines to skip (a module doc, in `lib.rs` only) and the rest of a file's text.
fn body<'a>(path: &str, text: Option<&'a str>) -> (usize, &'a str) {
    match text {
        None => (0, ""),
        Some(text) if path == LIB => {
            let (doc, rest) = split_header(text);
            (doc.lines().count(), rest)
        }
        Some(text) => (0, text),
    }
}

/// One file's diff within a patch: from its `--- ` line to the next file's.
struct Section<'a> {
    /// `None` for `/dev/null`.
    old: Option<String>,
    new: Option<String>,
    text: &'a str,
    /// The line of the patch its `--- ` line is on (1-based).
    first_line: usize,
}

impl Section<'_> {
    fn path(&self) -> &str {
        self.new
            .as_deref()
            .or(self.old.as_deref())
            .unwrap_or_default()
    }

    /// Its hunks' `@@` lines, with their line numbers in the patch.
    fn hunks(&self) -> impl Iterator<Item = (&str, usize)> {
        self.text
            .lines()
            .enumerate()
            .filter(|(_, line)| line.starts_with("@@ "))
            .map(|(at, line)| (line, self.first_line + at))
    }
}

/// The header and each file's diff. A file's diff starts at a `--- ` line followed by a
/// `+++ ` line.
fn sections(patch: &str) -> Result<(&str, Vec<Section<'_>>), String> {
    let lines: Vec<&str> = patch.split_inclusive('\n').collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            lines[i].starts_with("--- ") && lines.get(i + 1).is_some_and(|l| l.starts_with("+++ "))
        })
        .collect();
    let offset = |line: usize| -> usize { lines[..line].iter().map(|l| l.len()).sum() };
    let header_end = starts.first().map_or(patch.len(), |&first| offset(first));
    let header = &patch[..header_end];
    if let Some(stray) = header.lines().find(|line| line.starts_with("@@ ")) {
        return Err(format!(
            "a hunk (`{stray}`) before any `--- a/FILE` and `+++ b/FILE` lines"
        ));
    }
    let mut sections = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(patch.len(), |&next| offset(next));
        let name = |line: &str, prefix: &str, side: &str| -> Result<Option<String>, String> {
            let name = line[4..].trim_end_matches(['\n', '\r']);
            let name = name.split('\t').next().unwrap_or(name);
            if name == "/dev/null" {
                return Ok(None);
            }
            name.strip_prefix(side)
                .filter(|path| !path.is_empty() && !path.split('/').any(|p| p == ".."))
                .map(|path| Some(path.to_string()))
                .ok_or_else(|| {
                    format!("`{prefix}{name}`: a file is named `{side}PATH` (PATH under src/)")
                })
        };
        let old = name(lines[start], "--- ", "a/")?;
        let new = name(lines[start + 1], "+++ ", "b/")?;
        if old.is_none() && new.is_none() {
            return Err("a diff from /dev/null to /dev/null".to_string());
        }
        sections.push(Section {
            old,
            new,
            text: &patch[offset(start)..end],
            first_line: start + 1,
        });
    }
    Ok((header, sections))
}

/// A hunk's `@@ -a,b +c,d @@` line with `a` moved by `old` lines and `c` by `new`;
/// `None` for any other line.
fn shift_hunk_header(line: &str, old: isize, new: isize) -> Option<String> {
    let rest = line.strip_prefix("@@ -")?;
    let (ranges, tail) = rest.split_once(" @@")?;
    let (old_range, new_range) = ranges.split_once(" +")?;
    let shift = |range: &str, by: isize| -> Option<String> {
        let (start, len) = match range.split_once(',') {
            Some((start, len)) => (start, Some(len)),
            None => (range, None),
        };
        let start: isize = start.parse().ok()?;
        let start = (start + by).max(0);
        Some(match len {
            Some(len) => format!("{start},{len}"),
            None => start.to_string(),
        })
    };
    Some(format!(
        "@@ -{} +{} @@{tail}",
        shift(old_range, old)?,
        shift(new_range, new)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> Sources {
        files
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect()
    }

    const SOLUTION: &str = "//! A countdown.\n//! Read the lesson.\n\nuse std::task::Poll;\n\n\
        pub fn poll(n: &mut u32) -> Poll<()> {\n    if *n == 0 {\n        return Poll::Ready(());\n    }\n\
        \x20   *n -= 1;\n    wake();\n    Poll::Pending\n}\n\nfn wake() {}\n";

    fn wrong() -> String {
        SOLUTION
            .replace(
                "//! A countdown.\n//! Read the lesson.\n\n",
                "//! Wrong: never wakes.\n//! Shows: nothing\n",
            )
            .replace("    wake();\n", "")
    }

    #[test]
    fn a_module_doc_is_the_leading_doc_lines_and_the_blank_lines_after() {
        assert_eq!(
            split_header("//! a\n//!\n\n\nuse x;\n//! b\n"),
            ("//! a\n//!\n\n\n", "use x;\n//! b\n")
        );
        assert_eq!(split_header("use x;\n"), ("", "use x;\n"));
        assert_eq!(split_header("//! only"), ("//! only", ""));
    }

    #[test]
    fn the_patch_opens_with_the_mistake_and_gives_back_the_fixture_byte_for_byte() {
        let solution = sources(&[(LIB, SOLUTION), ("util.rs", "pub fn a() {}\n")]);
        let edited = sources(&[(LIB, &wrong()), ("util.rs", "pub fn a() {}\n")]);
        let patch = create(&solution, &edited);
        assert!(
            patch.starts_with(
                "//! Wrong: never wakes.\n//! Shows: nothing\n--- a/lib.rs\n+++ b/lib.rs\n"
            ),
            "{patch}"
        );
        // Line numbers are the whole files': `wake();` is line 11 of the solution.
        assert!(patch.contains("@@ -8,7 +7,6 @@\n"), "{patch}");
        assert!(patch.contains("\n-    wake();\n"), "{patch}");
        assert!(
            !patch.contains("util.rs"),
            "unchanged files are left out:\n{patch}"
        );
        assert_eq!(apply(&solution, &patch).unwrap(), edited);
    }

    #[test]
    fn files_added_removed_and_a_file_without_a_final_newline_round_trip() {
        let solution = sources(&[(LIB, SOLUTION), ("gone.rs", "pub fn g() {}\n")]);
        let edited = sources(&[
            (LIB, "//! Wrong: all new.\n\nmod extra;\npub fn f() {}"),
            ("extra/mod.rs", "pub fn e() {}\n"),
        ]);
        let patch = create(&solution, &edited);
        assert!(
            patch.contains("--- /dev/null\n+++ b/extra/mod.rs\n"),
            "{patch}"
        );
        assert!(patch.contains("--- a/gone.rs\n+++ /dev/null\n"), "{patch}");
        assert_eq!(apply(&solution, &patch).unwrap(), edited);
        // Only the module doc changed: a header and nothing else.
        let solution = sources(&[(LIB, SOLUTION)]);
        let edited = sources(&[(LIB, &SOLUTION.replace("//! A countdown.", "//! Wrong: x."))]);
        let patch = create(&solution, &edited);
        assert_eq!(patch, "//! Wrong: x.\n//! Read the lesson.\n\n");
        assert_eq!(apply(&solution, &patch).unwrap(), edited);
    }

    #[test]
    fn a_hunk_whose_lines_the_solution_no_longer_has_is_named() {
        let solution = sources(&[(LIB, SOLUTION)]);
        let patch = create(&solution, &sources(&[(LIB, &wrong())]));
        // The solution changes the very lines the fixture changes.
        let changed = sources(&[(LIB, &SOLUTION.replace("    wake();\n", "    wake_up();\n"))]);
        let error = apply(&changed, &patch).unwrap_err();
        assert_eq!(
            error,
            "hunk 1 of src/lib.rs (`@@ -8,7 +7,6 @@`, line 5 of the patch) does not apply: \
             the solution's src/lib.rs no longer has the lines it changes or the lines around \
             them"
        );
        // A change elsewhere moves the hunk, which still applies.
        let moved = SOLUTION.replace("use std::task::Poll;\n", "use std::task::Poll;\nuse x;\n");
        let applied = apply(&sources(&[(LIB, &moved)]), &patch).unwrap();
        assert!(!applied[LIB].contains("wake();"), "{}", applied[LIB]);
        assert!(applied[LIB].contains("use x;"), "{}", applied[LIB]);
    }

    #[test]
    fn a_patch_that_cannot_be_read_says_why() {
        let solution = sources(&[(LIB, SOLUTION)]);
        let error = apply(&solution, "//! Wrong: x\n@@ -1 +1 @@\n-a\n+b\n").unwrap_err();
        assert!(error.contains("before any `--- a/FILE`"), "{error}");
        let error = apply(&solution, "--- lib.rs\n+++ b/lib.rs\n").unwrap_err();
        assert!(error.contains("`--- lib.rs`"), "{error}");
        let error = apply(
            &solution,
            "--- a/other.rs\n+++ b/other.rs\n@@ -1 +1 @@\n-a\n+b\n",
        )
        .unwrap_err();
        assert!(
            error.contains("src/other.rs, which the solution does not have"),
            "{error}"
        );
        let error = apply(
            &solution,
            "--- a/lib.rs\n+++ b/lib.rs\n@@ -1,5 +1,1 @@\n-a\n",
        )
        .unwrap_err();
        assert!(
            error.contains("src/lib.rs's diff cannot be read"),
            "{error}"
        );
    }
}
