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

/// Where a panic in the kata's own code happened (`src_dir`, relative to `root`): the
/// learner's code panicked there (an `unwrap`, an index), not the test.
pub fn panic_in_code(message: &str, root: &Path, src_dir: &str) -> Option<Location> {
    panic_locations(message)
        .into_iter()
        .find_map(|(location, _)| {
            let path = files::relative(Path::new(&location.path), root);
            path.starts_with(&format!("{src_dir}/"))
                .then_some(Location { path, ..location })
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
#[derive(Debug, Clone, PartialEq)]
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

/// A kata function (or method) that a failing test calls, and where to edit it: the
/// `todo!()` left in it, else its name where it is defined.
#[derive(Debug, Clone, PartialEq)]
pub struct Called {
    /// `heartbeat`, or `Team::stop` for a method.
    pub name: String,
    pub at: Found,
}

/// The kata function `test` calls that its failure is most likely about, found in the
/// test's own source: the learner's code is not on the stack when a test's assertion
/// fails (it returned a wrong value), so a backtrace cannot say; the test's calls can.
/// `kata_dir` is the package the test ran against (its `src/` holds the definitions);
/// `message` is the failure's text (the panic's line in the test file, if any, picks
/// the last call made before it). Helpers of the test file are followed. `None` when
/// the test is not found or calls nothing of the kata's.
pub fn called_by_test(
    kata_dir: &Path,
    test_files: &[PathBuf],
    test: &str,
    message: &str,
) -> Option<Called> {
    let (file, tokens) = test_files.iter().find_map(|file| {
        let tokens = lex(&fs::read_to_string(file).ok()?);
        fn_body(&tokens, test)?;
        Some((file, tokens))
    })?;
    let definitions = definitions(&kata_dir.join("src"));
    if definitions.is_empty() {
        return None;
    }
    let body = fn_body(&tokens, test)?;
    let mut calls = Vec::new();
    let mut visited = vec![test.to_string()];
    collect_calls(
        &tokens,
        body,
        body_line(&tokens, body),
        &definitions,
        &mut visited,
        &mut calls,
        0,
    );
    if calls.is_empty() {
        return None;
    }
    // The test's own panic, in its file: the line the failure was noticed on.
    let file_name = file.file_name()?.to_string_lossy().into_owned();
    let panic_line = panic_locations(message)
        .into_iter()
        .map(|(location, _)| location)
        .find(|location| {
            location
                .path
                .replace('\\', "/")
                .ends_with(&format!("tests/{file_name}"))
        })
        .map(|location| location.line);
    let words: Vec<&str> = tokens[body.0..body.1]
        .iter()
        .filter_map(|t| t.word.as_deref())
        .collect();
    let definition = |name: &str| {
        let named: Vec<&Definition> = definitions.iter().filter(|d| d.name == name).collect();
        named
            .iter()
            .find(|d| d.owner.iter().any(|owner| words.contains(&owner.as_str())))
            .or_else(|| named.first())
            .copied()
    };
    let chosen = match panic_line {
        // The last call made on or before the line that failed.
        Some(line) => calls
            .iter()
            .rev()
            .find(|(_, at)| *at <= line)
            .or_else(|| calls.first()),
        // A time-out or a crash: a call that reaches a `todo!()` (a spawned task that
        // panicked, and the test waits for it forever), else the last call.
        None => calls
            .iter()
            .find(|(name, _)| definition(name).is_some_and(|d| d.todo.is_some()))
            .or_else(|| calls.last()),
    }?;
    let found = definition(&chosen.0)?;
    Some(Called {
        name: found.qualified(),
        at: found.todo.clone().unwrap_or_else(|| found.at.clone()),
    })
}

/// The kata function whose body holds `line` of `path` (a panic's place): its name.
pub fn enclosing(kata_dir: &Path, path: &Path, line: usize) -> Option<String> {
    definitions(&kata_dir.join("src"))
        .into_iter()
        .rev()
        .find(|d| d.at.path == path && d.lines.0 <= line && line <= d.lines.1)
        .map(|d| d.qualified())
}

/// A function defined in a kata's `src/`.
#[derive(Debug)]
struct Definition {
    name: String,
    /// The names in its `impl … {` line (the type, the trait): `Team::stop`.
    owner: Vec<String>,
    at: Found,
    /// The first and last line of its body.
    lines: (usize, usize),
    todo: Option<Found>,
}

impl Definition {
    fn qualified(&self) -> String {
        match self.owner.last() {
            Some(owner) => format!("{owner}::{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A word (identifier or keyword) or one punctuation character of Rust source, with
/// its 1-based line and column. Comments, strings and characters are left out.
#[derive(Debug)]
struct Token {
    word: Option<String>,
    punct: char,
    line: usize,
    column: usize,
}

fn lex(source: &str) -> Vec<Token> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut line_start) = (0, 1, 0);
    let newline = |i: usize, line: &mut usize, line_start: &mut usize| {
        *line += 1;
        *line_start = i + 1;
    };
    while i < bytes.len() {
        let rest = &bytes[i..];
        match bytes[i] {
            b'\n' => {
                newline(i, &mut line, &mut line_start);
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
                            newline(i, &mut line, &mut line_start);
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
                        newline(i, &mut line, &mut line_start);
                    }
                    i += 1;
                }
                i += 1;
            }
            b'\'' => {
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
                let word = &source[start..i];
                let after = &bytes[i..];
                if matches!(word, "r" | "br" | "cr") {
                    let hashes = after.iter().take_while(|&&b| b == b'#').count();
                    if after.get(hashes) == Some(&b'"') {
                        i += hashes + 1;
                        let mut end = vec![b'"'];
                        end.extend(std::iter::repeat_n(b'#', hashes));
                        while i < bytes.len() && !bytes[i..].starts_with(&end) {
                            if bytes[i] == b'\n' {
                                newline(i, &mut line, &mut line_start);
                            }
                            i += 1;
                        }
                        i += end.len();
                        continue;
                    }
                }
                tokens.push(Token {
                    word: Some(word.to_string()),
                    punct: ' ',
                    line,
                    column: source[line_start..start].chars().count() + 1,
                });
            }
            byte if byte.is_ascii_punctuation() => {
                tokens.push(Token {
                    word: None,
                    punct: char::from(byte),
                    line,
                    column: source[line_start..i].chars().count() + 1,
                });
                i += 1;
            }
            _ => i += 1,
        }
    }
    tokens
}

fn is_word(token: &Token, word: &str) -> bool {
    token.word.as_deref() == Some(word)
}

/// The token range of the body of `fn name` (its braces excluded), if the tokens hold it.
fn fn_body(tokens: &[Token], name: &str) -> Option<(usize, usize)> {
    let at = tokens
        .windows(2)
        .position(|pair| is_word(&pair[0], "fn") && is_word(&pair[1], name))?;
    body_after(tokens, at + 2)
}

/// The body of the item whose `{` is the first brace from `from`, unless a `;` comes
/// first (a declaration without a body).
fn body_after(tokens: &[Token], from: usize) -> Option<(usize, usize)> {
    let open = from
        + tokens[from..]
            .iter()
            .position(|t| t.punct == '{' || t.punct == ';')?;
    if tokens[open].punct == ';' {
        return None;
    }
    let mut depth = 0usize;
    for (index, token) in tokens.iter().enumerate().skip(open) {
        match token.punct {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((open + 1, index));
                }
            }
            _ => {}
        }
    }
    Some((open + 1, tokens.len()))
}

fn body_line(tokens: &[Token], body: (usize, usize)) -> Option<usize> {
    tokens.get(body.0).map(|t| t.line)
}

/// The kata's calls in `body`, in order, each with the line of the test's own body it is
/// made from (a helper's calls count at the line that calls the helper).
fn collect_calls(
    tokens: &[Token],
    body: (usize, usize),
    from_line: Option<usize>,
    definitions: &[Definition],
    visited: &mut Vec<String>,
    calls: &mut Vec<(String, usize)>,
    depth: usize,
) {
    for index in body.0..body.1 {
        let token = &tokens[index];
        let Some(word) = &token.word else { continue };
        if index > 0 && is_word(&tokens[index - 1], "fn") {
            continue;
        }
        let line = if depth == 0 {
            token.line
        } else {
            from_line.unwrap_or(token.line)
        };
        // A call: the name, then its arguments (or a turbofish).
        let called = tokens.get(index + 1).is_some_and(|t| t.punct == '(')
            || (tokens.get(index + 1).is_some_and(|t| t.punct == ':')
                && tokens.get(index + 3).is_some_and(|t| t.punct == '<'));
        if !called {
            continue;
        }
        // `Type::name(…)`: the kata's only if the kata has `name` in an `impl Type`
        // (`CancellationToken::new()` is not the kata's `Team::new`).
        let path = (index >= 3 && tokens[index - 1].punct == ':' && tokens[index - 2].punct == ':')
            .then(|| tokens[index - 3].word.as_deref())
            .flatten();
        let ours = definitions.iter().any(|d| {
            &d.name == word
                && match path {
                    Some(owner) if owner.starts_with(|c: char| c.is_ascii_uppercase()) => {
                        d.owner.iter().any(|o| o == owner)
                    }
                    _ => true,
                }
        });
        if ours {
            calls.push((word.clone(), line));
        } else if depth < 3
            && path.is_none()
            && !visited.contains(word)
            && let Some(helper) = fn_body(tokens, word)
        {
            visited.push(word.clone());
            collect_calls(
                tokens,
                helper,
                Some(line),
                definitions,
                visited,
                calls,
                depth + 1,
            );
        }
    }
}

/// Every function defined in the `.rs` files under `src`, with the `impl` it is in.
fn definitions(src: &Path) -> Vec<Definition> {
    let mut files: Vec<PathBuf> = files::under(src, false)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort_by_key(|path| (path != &src.join("lib.rs"), path.clone()));
    let mut found = Vec::new();
    for path in files {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let tokens = lex(&text);
        // The `impl` blocks: their token ranges and the names on their first line.
        let mut impls: Vec<((usize, usize), Vec<String>)> = Vec::new();
        for (index, token) in tokens.iter().enumerate() {
            if is_word(token, "impl")
                && let Some(body) = body_after(&tokens, index + 1)
            {
                let names = tokens[index + 1..body.0 - 1]
                    .iter()
                    .filter_map(|t| t.word.clone())
                    .filter(|w| !matches!(w.as_str(), "for" | "where" | "dyn" | "mut" | "const"))
                    .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
                    .collect();
                impls.push((body, names));
            }
        }
        for index in 0..tokens.len().saturating_sub(1) {
            if !is_word(&tokens[index], "fn") {
                continue;
            }
            let Some(name) = &tokens[index + 1].word else {
                continue;
            };
            let Some(body) = body_after(&tokens, index + 2) else {
                continue;
            };
            let owner = impls
                .iter()
                .rfind(|((start, end), _)| *start <= index && index < *end)
                .map(|(_, names)| names.clone())
                .unwrap_or_default();
            let todo = (body.0..body.1)
                .find(|&i| {
                    is_word(&tokens[i], "todo") && tokens.get(i + 1).is_some_and(|t| t.punct == '!')
                })
                .map(|i| Found {
                    path: path.clone(),
                    line: tokens[i].line,
                    column: tokens[i].column,
                });
            let last_line = tokens.get(body.1).map_or(usize::MAX, |t| t.line);
            found.push(Definition {
                name: name.clone(),
                // The type last: `impl Stream for Ticker` is Ticker's.
                owner: reorder(owner),
                at: Found {
                    path: path.clone(),
                    line: tokens[index + 1].line,
                    column: tokens[index + 1].column,
                },
                lines: (tokens[index].line, last_line),
                todo,
            });
        }
    }
    found
}

/// `impl Trait for Type` names the trait, then the type: the type is what the method is
/// called on, so it goes last (`Type::method`). Generic parameters (one capital letter)
/// are left out.
fn reorder(names: Vec<String>) -> Vec<String> {
    names.into_iter().filter(|name| name.len() > 1).collect()
}

/// `path` (absolute) as the learner reaches it from `here`: below it, the rest
/// (`lib.rs` from a kata's `src/`); elsewhere in the course, through `..`; outside the
/// course, from the course's root.
pub fn from_here(path: &Path, root: &Path, here: Option<&Path>) -> String {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (path, root) = (canonical(path), canonical(root));
    let Some(here) = here.map(canonical).filter(|here| here.starts_with(&root)) else {
        return files::relative(&path, &root);
    };
    let mut base = here.as_path();
    let mut ups = 0;
    while !path.starts_with(base) {
        match base.parent() {
            Some(parent) => {
                base = parent;
                ups += 1;
            }
            None => return files::relative(&path, &root),
        }
    }
    let below = files::relative(&path, base);
    "../".repeat(ups) + &below
}

#[cfg(test)]
mod called_tests {
    use super::*;

    const LIB: &str = "//! Heartbeats, crawls and teams.\n\
        use std::time::Duration;\n\
        \n\
        /// Beats until cancelled.\n\
        pub async fn heartbeat(period: Duration) -> u32 {\n\
        \x20   let _ = period;\n\
        \x20   0 // wrong: never beats\n\
        }\n\
        \n\
        pub async fn crawl(pages: u32) -> u32 {\n\
        \x20   todo!(\"fetch {pages} pages\")\n\
        }\n\
        \n\
        pub struct Team;\n\
        \n\
        impl Team {\n\
        \x20   pub fn new() -> Team {\n\
        \x20       Team\n\
        \x20   }\n\
        \n\
        \x20   pub async fn stop(self) {\n\
        \x20       todo!(\"stop the team\")\n\
        \x20   }\n\
        }\n\
        \n\
        impl Drop for Team {\n\
        \x20   fn drop(&mut self) {}\n\
        }\n";

    const TESTS: &str = "use kata::{Team, crawl, heartbeat};\n\
        \n\
        fn period() -> std::time::Duration {\n\
        \x20   std::time::Duration::from_secs(1)\n\
        }\n\
        \n\
        async fn stopped() {\n\
        \x20   let team = Team::new();\n\
        \x20   team.stop().await;\n\
        }\n\
        \n\
        #[tokio::test]\n\
        async fn t01_heartbeat_beats() {\n\
        \x20   // crawl(3) is for later\n\
        \x20   let beats = heartbeat(period()).await;\n\
        \x20   assert_eq!(beats, 3, \"three beats\");\n\
        }\n\
        \n\
        #[tokio::test]\n\
        async fn t02_team_stops() {\n\
        \x20   stopped().await;\n\
        }\n\
        \n\
        #[tokio::test]\n\
        async fn t03_both() {\n\
        \x20   let pages = crawl(2).await;\n\
        \x20   assert_eq!(heartbeat(period()).await, pages);\n\
        }\n";

    fn kata() -> PathBuf {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "awaitlings-called-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        ));
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::create_dir_all(dir.join("tests")).unwrap();
        fs::write(dir.join("src/lib.rs"), LIB).unwrap();
        fs::write(dir.join("tests/kata.rs"), TESTS).unwrap();
        dir
    }

    #[test]
    fn the_edit_line_names_the_function_the_failing_test_calls() {
        let dir = kata();
        let tests = [dir.join("tests/kata.rs")];
        let called = |test: &str, message: &str| {
            called_by_test(&dir, &tests, test, message).map(|c| (c.name, c.at.line, c.at.column))
        };
        // heartbeat is wrong, crawl still `todo!()`: the heartbeat test's failure points
        // at heartbeat, not at crawl's `todo!()`, which comes first in the file's order.
        let failed = "panicked at exercises/08_c/02_t/tests/kata.rs:16:5:\n\
                      assertion `left == right` failed: three beats";
        assert_eq!(
            called("t01_heartbeat_beats", failed),
            Some(("heartbeat".into(), 5, 14))
        );
        // Through a helper of the test file, and to the `todo!()` in the method.
        assert_eq!(
            called("t02_team_stops", ""),
            Some(("Team::stop".into(), 22, 9))
        );
        // Two calls: the last made on or before the line that failed.
        let failed = "panicked at exercises/08_c/02_t/tests/kata.rs:27:5:\nnot equal";
        assert_eq!(
            called("t03_both", failed),
            Some(("heartbeat".into(), 5, 14))
        );
        // A time-out: the call that reaches a `todo!()`.
        assert_eq!(called("t03_both", ""), Some(("crawl".into(), 11, 5)));
        // A test the files do not hold, or that calls nothing of the kata's.
        assert_eq!(called("t09_missing", ""), None);
        let panicked_in = |line| enclosing(&dir, &dir.join("src/lib.rs"), line);
        assert_eq!(panicked_in(11).as_deref(), Some("crawl"));
        assert_eq!(panicked_in(22).as_deref(), Some("Team::stop"));
        assert_eq!(panicked_in(2), None);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_place_is_given_from_where_the_learner_stands() {
        let dir = kata();
        let root = dir.parent().unwrap();
        let lib = dir.join("src/lib.rs");
        let kata = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(from_here(&lib, root, Some(&dir.join("src"))), "lib.rs");
        assert_eq!(from_here(&lib, root, Some(&dir)), "src/lib.rs");
        assert_eq!(
            from_here(&lib, root, Some(root)),
            format!("{kata}/src/lib.rs")
        );
        assert_eq!(
            from_here(&lib, root, Some(&dir.join("tests"))),
            "../src/lib.rs"
        );
        // Outside the course (or nowhere known): from the course's root.
        assert_eq!(
            from_here(&lib, root, Some(Path::new("/"))),
            format!("{kata}/src/lib.rs")
        );
        assert_eq!(from_here(&lib, root, None), format!("{kata}/src/lib.rs"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
