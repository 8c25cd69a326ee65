//! What grading refuses in a learner's code: the constructs that can interfere with the
//! test harness, and that no kata needs. Code in the test's own process can read
//! anything the process has (its arguments, environment, open files, memory), so a
//! verdict is only as honest as the code it runs: this scan is what keeps learner code
//! from ending the process early, faking the harness's log, hooking panics or running
//! before `main`. A kata whose code holds one earns nothing, and the finding is named
//! (file, line, construct) for the instructor to look at. A kata that truly needs one
//! allows it in its metadata (`allow = ["fs"]`).

use std::fs;
use std::path::Path;

use xtask::course::Kata;
use xtask::util::files;

/// Identifiers that give code a way out of the test's rules, and why each is refused.
const FORBIDDEN: &[(&str, &str)] = &[
    ("process", "ends or starts processes"),
    ("exit", "ends the test process"),
    ("env", "reads the process's arguments or environment"),
    ("option_env", "reads the build's environment"),
    (
        "fs",
        "reads or writes files (the harness keeps its verdicts in one)",
    ),
    ("os", "reaches raw file descriptors and platform APIs"),
    ("net", "opens sockets"),
    ("unsafe", "steps outside Rust's memory rules"),
    ("extern", "declares foreign functions or crates"),
    ("asm", "runs machine code"),
    ("global_asm", "runs machine code"),
    ("naked_asm", "runs machine code"),
    (
        "set_hook",
        "replaces the panic hook, which turns failures into passes",
    ),
    (
        "take_hook",
        "replaces the panic hook, which turns failures into passes",
    ),
    (
        "update_hook",
        "replaces the panic hook, which turns failures into passes",
    ),
    ("include", "pulls in another file's code"),
    ("include_str", "pulls in another file's text"),
    ("include_bytes", "pulls in another file's bytes"),
];

/// Attributes refused for the same reason: code that runs before `main` or links itself
/// in where the harness does not look, or a module read from another file.
const FORBIDDEN_ATTRIBUTES: &[(&str, &str)] = &[
    (
        "link_section",
        "places code where it runs before the tests (a constructor)",
    ),
    (
        "used",
        "keeps a static the tests never name (a constructor)",
    ),
    (
        "no_mangle",
        "exports a symbol that can replace the harness's",
    ),
    (
        "export_name",
        "exports a symbol that can replace the harness's",
    ),
    ("link", "links native code"),
    ("link_name", "links native code"),
    ("global_allocator", "runs code on every allocation"),
    ("path", "reads a module from a file outside the kata"),
];

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
    for path in files::under(&src, true) {
        let file = files::relative(&path, root);
        let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            findings.push(Finding {
                file,
                line: 0,
                construct: "a symbolic link".into(),
                why: "src/ holds regular files only",
            });
            continue;
        }
        if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap_or_default();
            findings.extend(source(&text, &kata.allow).into_iter().map(
                |(line, construct, why)| Finding {
                    file: file.clone(),
                    line,
                    construct,
                    why,
                },
            ));
        }
    }
    findings
}

/// Findings in one file's source: (line, construct, why). Comments and string literals
/// are not code and are skipped; `r#ident` counts as `ident`.
pub fn source(text: &str, allowed: &[String]) -> Vec<(usize, String, &'static str)> {
    let tokens = tokens(text);
    let mut found = Vec::new();
    for (index, (line, token)) in tokens.iter().enumerate() {
        if allowed.iter().any(|a| a == token) {
            continue;
        }
        if let Some((_, why)) = FORBIDDEN.iter().find(|(name, _)| name == token) {
            found.push((*line, token.clone(), *why));
            continue;
        }
        // `#[name` / `#![name`, also inside `#[unsafe(name)]` (edition 2024).
        let before: Vec<&str> = tokens[index.saturating_sub(4)..index]
            .iter()
            .map(|(_, t)| t.as_str())
            .collect();
        let in_attribute = matches!(before.as_slice(), [.., "#", "["] | [.., "#", "!", "["])
            || matches!(before.as_slice(), [.., "#", "[", "unsafe", "("]);
        if in_attribute
            && let Some((_, why)) = FORBIDDEN_ATTRIBUTES.iter().find(|(name, _)| name == token)
            && !allowed.iter().any(|a| a == token)
        {
            found.push((*line, format!("#[{token}]"), *why));
        }
    }
    found
}

/// The identifiers and punctuation of Rust source, each with its line: comments (nested
/// block comments too), string, byte-string, raw-string and char literals left out.
fn tokens(text: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && at(i + 1) == 'r'))
            && matches!(at(i + if c == 'b' { 2 } else { 1 }), '"' | '#')
            && raw_string_start(&chars, i).is_some()
        {
            // r"…", r#"…"#, br"…"
            let (hashes, open) = raw_string_start(&chars, i).expect("checked");
            i = open + 1;
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while i < chars.len() && chars[i..].iter().take(close.len()).ne(close.iter()) {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += close.len();
        } else if c == '"' || (c == 'b' && at(i + 1) == '"') {
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if at(i) == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            // A char literal ('a', '\n', '\u{1F980}') or a lifetime ('a).
            let close = if at(i + 1) == '\\' {
                (i + 2..chars.len().min(i + 12)).find(|&j| chars[j] == '\'')
            } else if at(i + 2) == '\'' {
                Some(i + 2)
            } else {
                None
            };
            i = close.map_or(i + 1, |end| end + 1);
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let mut word: String = chars[start..i].iter().collect();
            // A raw identifier: `r#process` is `process`.
            if word == "r" && at(i) == '#' && (at(i + 1).is_alphabetic() || at(i + 1) == '_') {
                let begin = i + 1;
                i = begin;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                word = chars[begin..i].iter().collect();
            }
            out.push((line, word));
        } else if c.is_whitespace() {
            i += 1;
        } else {
            out.push((line, c.to_string()));
            i += 1;
        }
    }
    out
}

/// At `r"`, `r#…"`, `br"` or `br#…"`: the number of `#` and the index of the `"`.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let mut j = i + if chars[i] == 'b' { 2 } else { 1 };
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some((hashes, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constructs(text: &str) -> Vec<String> {
        source(text, &[]).into_iter().map(|(_, c, _)| c).collect()
    }

    #[test]
    fn finds_the_ways_out_of_the_harness() {
        let forgeries = [
            ("fn f() { std::process::exit(0) }", "process"),
            ("use std::process as p;", "process"),
            ("fn f() { let a = std::env::args(); }", "env"),
            ("fn f() { std::fs::write(\"x\", \"ok t01\").ok(); }", "fs"),
            ("fn f() { tokio::fs::read_dir(\".\"); }", "fs"),
            (
                "fn f() { std::panic::set_hook(Box::new(|_| {})) }",
                "set_hook",
            ),
            ("#[used]\nstatic X: u8 = 0;", "#[used]"),
            (
                "#[unsafe(link_section = \".init_array\")]\nstatic X: u8 = 0;",
                "unsafe",
            ),
            ("#[unsafe(no_mangle)]\nfn main() {}", "unsafe"),
            ("#[path = \"../../other/src/lib.rs\"]\nmod x;", "#[path]"),
            ("unsafe extern \"C\" { fn exit(code: i32); }", "unsafe"),
            (
                "const S: &str = include_str!(\"/etc/passwd\");",
                "include_str",
            ),
            ("fn f() { std::r#process::exit(0) }", "process"),
            ("fn f() { core::arch::asm!(\"nop\") }", "asm"),
        ];
        for (code, expected) in forgeries {
            let found = constructs(code);
            assert!(
                found.contains(&expected.to_string()),
                "{code}: found {found:?}"
            );
        }
        let attribute = source(
            "#[unsafe(link_section = \".init_array\")]\nstatic X: u8 = 0;",
            &[],
        );
        assert!(
            attribute
                .iter()
                .any(|(line, c, _)| *line == 1 && c == "#[link_section]"),
            "{attribute:?}"
        );
    }

    #[test]
    fn comments_strings_and_ordinary_code_are_not_findings() {
        let honest = r##"
//! Uses `std::process::exit`? No: this is a comment about fs and env.
/* a block comment mentioning unsafe /* nested: process */ still a comment */
/// Doc: `tokio::fs` would do this for files.
pub fn greet(name: &str) -> String {
    let path = "std::process::exit(0)"; // a string, not code
    let raw = r#"std::env::args() and "quotes""#;
    let byte = b"fs";
    let c = '"';
    let l: &'static str = "x";
    handle.abort();
    format!("Hello, {name}! {path}{raw}{byte:?}{c}{l}")
}
#[derive(Debug)]
#[tokio::test(start_paused = true)]
async fn t() {}
"##;
        assert_eq!(constructs(honest), Vec::<String>::new());
    }

    #[test]
    fn a_kata_may_allow_what_it_needs() {
        let code = "async fn f() { tokio::fs::read(\"x\").await.ok(); }";
        assert_eq!(constructs(code), ["fs"]);
        assert!(source(code, &["fs".to_string()]).is_empty());
    }

    #[test]
    fn lines_are_counted_through_comments_and_strings() {
        let code = "/* one\ntwo */\nlet s = \"a\nb\";\nstd::process::exit(0);\n";
        assert_eq!(source(code, &[])[0].0, 5);
    }
}
