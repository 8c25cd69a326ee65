//! Where to send a learner: the `todo!()` to open next, as `path:line:col`, which
//! terminals and editors make clickable.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::util::files;

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// Where a compile error asks the learner to change their code: the first `--> path:l:c`
/// of the errors that lies under `src_dir` (rustc also points into test files and
/// libraries, which are not the learner's to edit).
pub fn compile_error_place(errors: &[String], src_dir: &Path, root: &Path) -> Option<Location> {
    let src = files::relative(src_dir, root);
    errors.iter().find_map(|error| {
        crate::util::ui::plain(error).lines().find_map(|line| {
            let (_, place) = line.split_once("--> ")?;
            let mut parts = place.trim().rsplitn(3, ':');
            let column = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            let path = files::relative(Path::new(parts.next()?), root);
            path.starts_with(&format!("{src}/"))
                .then_some(Location { path, line, column })
        })
    })
}

/// The `todo!()` a failed test ran into, repo-relative: the panic's own location when it
/// is in the kata's code, else (the panic is in a test file, which unwrapped a task that
/// hit the `todo!()`) the first `todo!(` left in that kata's code.
pub fn todo_hit(message: &str, root: &Path) -> Option<Location> {
    let panics: Vec<(Location, bool)> = panic_locations(message)
        .into_iter()
        .map(|(location, says_todo)| {
            let path = files::relative(Path::new(&location.path), root);
            (Location { path, ..location }, says_todo)
        })
        .collect();
    let in_code = |location: &Location| has_component(&location.path, "src");
    let hit = panics
        .iter()
        .find(|(location, says_todo)| *says_todo && in_code(location))
        .or_else(|| panics.iter().find(|(location, _)| in_code(location)));
    if let Some((location, _)) = hit {
        return Some(location.clone());
    }
    // `exercises/00_m/01_k/tests/kata.rs` → the kata is `exercises/00_m/01_k`.
    panics.iter().find_map(|(location, _)| {
        let (kata, _) = location.path.rsplit_once("/tests/")?;
        first_todo(&root.join(kata)).map(|found| found.relative_to(root))
    })
}

/// The first `todo!(` left in a kata's code: `src/lib.rs` first, then the other files
/// of `src/` in path order. Comments and strings do not count.
pub fn first_todo(kata_dir: &Path) -> Option<Found> {
    let src = kata_dir.join("src");
    let mut files: Vec<PathBuf> = files::under(&src, false)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort_by_key(|path| (path != &src.join("lib.rs"), path.clone()));
    files.into_iter().find_map(|path| {
        let text = fs::read_to_string(&path).ok()?;
        let (line, column) = find_todo(&text)?;
        Some(Found { path, line, column })
    })
}

/// A `todo!(` found in a file on disk.
#[derive(Debug, PartialEq)]
pub struct Found {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Found {
    pub fn relative_to(&self, root: &Path) -> Location {
        Location {
            path: files::relative(&self.path, root),
            line: self.line,
            column: self.column,
        }
    }
}

fn has_component(path: &str, name: &str) -> bool {
    path.split(['/', '\\']).any(|part| part == name)
}

/// Each `panicked at PATH:LINE:COL:` in a test's output, with whether the message under
/// it is a `todo!()`'s.
fn panic_locations(output: &str) -> Vec<(Location, bool)> {
    let lines: Vec<&str> = output.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(at) = line.find("panicked at ") else {
            continue;
        };
        let place = line[at + "panicked at ".len()..]
            .trim_end()
            .trim_end_matches(':');
        let mut parts = place.rsplitn(3, ':');
        let (Some(column), Some(line_number), Some(path)) =
            (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(line_number), Ok(column)) = (line_number.parse(), column.parse()) else {
            continue;
        };
        let says_todo = lines
            .get(index + 1)
            .is_some_and(|next| next.contains("not yet implemented"))
            || line.contains("not yet implemented");
        found.push((
            Location {
                path: path.to_string(),
                line: line_number,
                column,
            },
            says_todo,
        ));
    }
    found
}

/// The 1-based line and column of the first `todo!` invocation in Rust source, skipping
/// comments, strings and character literals.
pub fn find_todo(source: &str) -> Option<(usize, usize)> {
    let bytes = source.as_bytes();
    let mut i = 0;
    let mut line = 1;
    let mut line_start = 0;
    // Skips to just after `end`, counting lines on the way; false if `end` never comes.
    let skip_until = |i: &mut usize, line: &mut usize, line_start: &mut usize, end: &[u8]| {
        while *i < bytes.len() {
            if bytes[*i..].starts_with(end) {
                *i += end.len();
                return;
            }
            if bytes[*i] == b'\n' {
                *line += 1;
                *line_start = *i + 1;
            }
            *i += 1;
        }
    };
    while i < bytes.len() {
        let rest = &bytes[i..];
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                i += 1;
            }
            b'/' if rest.starts_with(b"//") => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if rest.starts_with(b"/*") => {
                i += 2;
                let mut depth = 1;
                while i < bytes.len() && depth > 0 {
                    if bytes[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if bytes[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                    } else {
                        if bytes[i] == b'\n' {
                            line += 1;
                            line_start = i + 1;
                        }
                        i += 1;
                    }
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b'\n') {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'\'' => {
                // A character literal ('x', '\n', '\''), or a lifetime ('a), which has
                // no closing quote.
                let literal_end = if rest.get(1) == Some(&b'\\') {
                    rest.iter().skip(2).position(|&b| b == b'\'').map(|p| p + 3)
                } else {
                    let width = source[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (rest.get(1 + width) == Some(&b'\'')).then_some(2 + width)
                };
                i += literal_end.unwrap_or(1);
            }
            byte if byte == b'_' || byte.is_ascii_alphabetic() => {
                let start = i;
                while i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                let word = &bytes[start..i];
                let after = &bytes[i..];
                if word == b"todo" && after.starts_with(b"!") {
                    let column = source[line_start..start].chars().count() + 1;
                    return Some((line, column));
                }
                // Raw strings: r"…", r#"…"#, br"…".
                if matches!(word, b"r" | b"br" | b"cr") {
                    let hashes = after.iter().take_while(|&&b| b == b'#').count();
                    if after.get(hashes) == Some(&b'"') {
                        i += hashes + 1;
                        let mut end = vec![b'"'];
                        end.extend(std::iter::repeat_n(b'#', hashes));
                        skip_until(&mut i, &mut line, &mut line_start, &end);
                    }
                }
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod compile_error_tests {
    use super::*;

    #[test]
    fn the_place_to_edit_is_the_first_span_in_the_learners_code() {
        let error = "error: future cannot be sent between threads safely\n  \
                     --> exercises/06/01/tests/kata_send.rs:12:18\n   |\nnote: future is not `Send`\n  \
                     --> exercises/06/01/src/lib.rs:20:9\n";
        let place = compile_error_place(
            &[error.to_string()],
            Path::new("/c/exercises/06/01/src"),
            Path::new("/c"),
        );
        assert_eq!(
            place.unwrap().to_string(),
            "exercises/06/01/src/lib.rs:20:9"
        );
        let elsewhere = "error: x\n  --> exercises/06/01/tests/kata.rs:1:1\n";
        let none = compile_error_place(
            &[elsewhere.to_string()],
            Path::new("/c/exercises/06/01/src"),
            Path::new("/c"),
        );
        assert_eq!(none, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_todo_in_code_not_in_comments_or_strings() {
        let source = "//! Bodies are `todo!()` until you write them.\n\
                      /* todo!() in a /* nested */ block todo!() */\n\
                      const S: &str = \"todo!(\\\"x\\\")\";\n\
                      const R: &str = r#\"todo!(\"raw\")\"#;\n\
                      fn f<'a>(x: &'a str) -> char { let _ = '\"'; let _ = '\\''; my_todo!(); 'x' }\n\
                      pub fn g() {\n    todo!(\"write g\")\n}\n";
        assert_eq!(find_todo(source), Some((7, 5)));
        assert_eq!(find_todo("fn f() { std::todo!() }"), Some((1, 15)));
        assert_eq!(find_todo("fn f() { 42 }\n// todo!()\n"), None);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(find_todo("let é = 1; todo!()"), Some((1, 12)));
    }

    #[test]
    fn a_todo_hit_in_the_kata_code_is_named_where_it_panicked() {
        let message = "panicked at exercises/00_m/04_todo/src/lib.rs:12:5:\n\
                       not yet implemented: write it";
        let hit = todo_hit(message, Path::new("/course")).unwrap();
        assert_eq!(hit.to_string(), "exercises/00_m/04_todo/src/lib.rs:12:5");
        // An absolute path (a package built from outside the workspace) is made relative.
        let message = "thread 'tokio-runtime-worker' panicked at /course/exercises/a/b/src/x.rs:3:9:\n\
                       not yet implemented";
        let hit = todo_hit(message, Path::new("/course")).unwrap();
        assert_eq!(hit.to_string(), "exercises/a/b/src/x.rs:3:9");
    }

    #[test]
    fn a_todo_hit_behind_a_test_file_panic_is_found_in_the_source() {
        let root = std::env::temp_dir().join(format!("awaitlings-locate-{}", std::process::id()));
        let kata = root.join("exercises/00_m/04_todo");
        fs::create_dir_all(kata.join("src")).unwrap();
        fs::write(
            kata.join("src/lib.rs"),
            "// todo!() here is a comment\n\nfn f() {\n  todo!()\n}\n",
        )
        .unwrap();
        fs::write(kata.join("src/a.rs"), "fn a() { todo!() }\n").unwrap();
        let message = "panicked at exercises/00_m/04_todo/tests/kata.rs:8:30:\n\
                       called `Result::unwrap()` on an `Err` value: JoinError::Panic(Id(3), \
                       \"not yet implemented\", ...)";
        let hit = todo_hit(message, &root).map(|l| l.to_string());
        fs::remove_dir_all(&root).unwrap();
        assert_eq!(
            hit.as_deref(),
            Some("exercises/00_m/04_todo/src/lib.rs:4:3")
        );
    }

    #[test]
    fn the_worker_thread_that_hit_the_todo_wins_over_the_test_that_unwrapped_it() {
        let message = "thread 'tokio-runtime-worker' panicked at exercises/a/b/src/lib.rs:7:9:\n\
                       not yet implemented: spawn it\n\
                       panicked at exercises/a/b/tests/kata.rs:20:5:\n\
                       called `Result::unwrap()` on an `Err` value";
        let hit = todo_hit(message, Path::new("/c")).unwrap();
        assert_eq!(hit.to_string(), "exercises/a/b/src/lib.rs:7:9");
        assert_eq!(
            todo_hit("assertion failed: no location", Path::new("/c")),
            None
        );
    }
}
